import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router-dom'
import { api, type Schemas } from '../api/client'
import { useAuth } from '../auth-context'
import { useCodeList } from '../codes'
import { values } from '../fields'
import { Empty, Failure, Loading } from '../states'
import { OrganisationForm } from './OrganisationForm'

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
  const [created, setCreated] = useState<Schemas['Organisation'] | null>(null)
  return (
    <section aria-labelledby="new-org">
      <h2 id="new-org">{t('organisations.new')}</h2>
      <OrganisationForm onSaved={setCreated} key={created?.id} />
      <p role="status">{created && t('organisations.created', { name: created.name })}</p>
    </section>
  )
}
