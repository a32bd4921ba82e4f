import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router-dom'
import { api, type Schemas } from '../api/client'
import { useAuth } from '../auth'
import { useCodeList } from '../codes'
import { Field, fieldErrors, values } from '../form'
import { checkOrgNumber } from '../orgnumber'
import { Empty, Failure, Loading } from '../states'

/** Search the register of organisations, and add one. */
export default function Organisations() {
  const { t } = useTranslation()
  const { me } = useAuth()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const sectors = useCodeList('sectors')
  const list = useQuery({
    queryKey: ['organisations', q],
    queryFn: async () => (await api.GET('/organisations', { params: { query: { q: q || undefined, limit: 50 } } })).data?.items ?? [],
  })
  return (
    <>
      <h1>{t('organisations.title')}</h1>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          const v = values(e.currentTarget)
          setParams(v.q ? { q: v.q } : {})
        }}
      >
        <label htmlFor="orgq">{t('organisations.search')}</label>
        <input id="orgq" name="q" type="search" defaultValue={q} key={q} />
        <button type="submit">{t('common.filter')}</button>
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <Failure error={list.error} retry={list.refetch} />
      ) : !list.data.length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('organisations.name')}</th>
              <th scope="col">{t('organisations.orgNumber')}</th>
              <th scope="col">{t('organisations.sector')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((o) => (
              <tr key={o.id}>
                <td>
                  <Link to={`/organisationer/${o.id}`}>{o.name}</Link>
                </td>
                <td className="nowrap">{o.org_number}</td>
                <td>{sectors.label(o.sector!)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {me?.role !== 'viewer' && <NewOrganisation />}
    </>
  )
}

function NewOrganisation() {
  const { t } = useTranslation()
  const client = useQueryClient()
  const sectors = useCodeList('sectors')
  const legalForms = useCodeList('legal_forms')
  const [orgNumber, setOrgNumber] = useState('')
  const [created, setCreated] = useState<Schemas['Organisation'] | null>(null)
  const create = useMutation({
    mutationFn: async (body: Schemas['NewOrganisation']) => (await api.POST('/organisations', { body })).data!,
    onSuccess: (o) => {
      setCreated(o)
      client.invalidateQueries({ queryKey: ['organisations'] })
    },
  })
  const err = fieldErrors(create.error)
  const live = checkOrgNumber(orgNumber)

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    setCreated(null)
    create.mutate(values(e.currentTarget) as Schemas['NewOrganisation'])
  }

  return (
    <section aria-labelledby="new-org">
      <h2 id="new-org">{t('organisations.new')}</h2>
      <form onSubmit={submit} className="stack" noValidate>
        <Field id="org-name" label={t('organisations.name')} error={err('name')}>
          <input name="name" required />
        </Field>
        <Field id="org-number" label={t('organisations.orgNumber')} error={err('org_number') ?? (live ? t(`organisations.orgNumber_${live}`) : undefined)} hint={t('organisations.orgNumberHint')}>
          <input name="org_number" inputMode="numeric" value={orgNumber} onChange={(e) => setOrgNumber(e.target.value)} />
        </Field>
        <Field id="org-sector" label={t('organisations.sector')} error={err('sector')}>
          <select name="sector" required defaultValue="">
            <option value="" disabled>
              {t('common.choose')}
            </option>
            {sectors.entries.map((s) => (
              <option key={s.code} value={s.code}>
                {sectors.label(s.code!)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="org-legal" label={t('organisations.legalForm')} error={err('legal_form')}>
          <select name="legal_form" required defaultValue="">
            <option value="" disabled>
              {t('common.choose')}
            </option>
            {legalForms.entries.map((s) => (
              <option key={s.code} value={s.code}>
                {legalForms.label(s.code!)}
              </option>
            ))}
          </select>
        </Field>
        {create.isError && !(create.error as { fields?: unknown[] }).fields?.length && <Failure error={create.error} />}
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? t('common.loading') : t('organisations.create')}
        </button>
        <p role="status">{created && t('organisations.created', { name: created.name })}</p>
      </form>
    </section>
  )
}
