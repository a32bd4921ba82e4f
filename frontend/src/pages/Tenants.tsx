import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../api/client'
import { newTenantKindValues } from '../api/schema'
import { codeField, fieldErrors, hasFieldErrors, values } from '../fields'
import { Field } from '../form'
import { dateTime, number } from '../format'
import { Empty, Failure, Loading } from '../states'

/** The platform operator's page: the tenants this deployment serves, with their usage, and a new one with its first administrator. */
export default function Tenants() {
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('tenants.title')}</h1>
      <p>{t('tenants.intro')}</p>
      <TenantList />
      <NewTenant />
    </>
  )
}

function TenantList() {
  const { t } = useTranslation()
  const tenants = useQuery({ queryKey: ['tenants'], queryFn: async () => (await api.GET('/tenants')).data?.items ?? [] })
  return (
    <section aria-labelledby="t-list">
      <h2 id="t-list">{t('tenants.usage')}</h2>
      {tenants.isPending ? (
        <Loading />
      ) : tenants.isError ? (
        <Failure error={tenants.error} retry={tenants.refetch} />
      ) : !tenants.data.length ? (
        <Empty />
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('tenants.tenant')}</th>
                <th scope="col">{t('tenants.code')}</th>
                <th scope="col">{t('tenants.host')}</th>
                <th scope="col" className="num">{t('tenants.users')}</th>
                <th scope="col" className="num">{t('tenants.partnerships')}</th>
                <th scope="col" className="num">{t('tenants.events')}</th>
                <th scope="col">{t('tenants.lastActivity')}</th>
              </tr>
            </thead>
            <tbody>
              {tenants.data.map((u) => (
                <tr key={u.tenant?.id}>
                  <th scope="row">
                    <span className="swatch" style={{ background: u.tenant?.colour }} aria-hidden="true" />
                    {u.tenant?.name}
                  </th>
                  <td>
                    {u.tenant?.code} <span className="muted">{t(`tenants.kinds.${u.tenant?.kind ?? 'municipality'}`)}</span>
                  </td>
                  <td>{u.tenant?.host ?? '–'}</td>
                  <td className="num">{number(u.users ?? 0)}</td>
                  <td className="num">{number(u.partnerships ?? 0)}</td>
                  <td className="num">{number(u.events_30_days ?? 0)}</td>
                  <td className="nowrap">{u.last_activity ? dateTime(u.last_activity) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function NewTenant() {
  const { t } = useTranslation()
  const client = useQueryClient()
  const [made, setMade] = useState<Schemas['Tenant'] | null>(null)
  const create = useMutation({
    mutationFn: async (body: Schemas['NewTenant']) => (await api.POST('/tenants', { body })).data!,
    onSuccess: (tenant) => {
      setMade(tenant)
      void client.invalidateQueries({ queryKey: ['tenants'] })
    },
  })
  const err = fieldErrors(create.error)
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    setMade(null)
    const form = e.currentTarget
    const v = values(form)
    create.mutate(
      {
        kind: codeField(v.kind, newTenantKindValues),
        code: v.code ?? '',
        name: v.name ?? '',
        org_number: v.org_number,
        colour: v.colour?.toLowerCase(),
        host: v.host?.toLowerCase(),
        admin: { name: v.admin_name ?? '', email: v.admin_email ?? '', password: v.admin_password ?? '', role: 'admin' },
      },
      { onSuccess: () => form.reset() },
    )
  }
  return (
    <section aria-labelledby="t-new">
      <h2 id="t-new">{t('tenants.new')}</h2>
      <form onSubmit={submit} className="stack wide" noValidate>
        <fieldset>
          <legend>{t('tenants.tenant')}</legend>
          <Field id="t-kind" label={t('tenants.kind')} error={err('kind')}>
            <select name="kind" defaultValue="municipality">
              {newTenantKindValues.map((k) => (
                <option key={k} value={k}>
                  {t(`tenants.kinds.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="t-code" label={t('tenants.code')} error={err('code')} hint={t('tenants.codeHint')}>
            <input name="code" inputMode="numeric" autoComplete="off" maxLength={4} />
          </Field>
          <Field id="t-name" label={t('tenants.name')} error={err('name')}>
            <input name="name" autoComplete="organization" />
          </Field>
          <Field id="t-org" label={t('tenants.orgNumber')} error={err('org_number')} hint={t('tenants.orgNumberHint')}>
            <input name="org_number" autoComplete="off" placeholder="212000-1355" />
          </Field>
          <Field id="t-colour" label={t('tenants.colour')} error={err('colour')} hint={t('tenants.colourHint')}>
            <input name="colour" type="color" defaultValue="#1f5f8b" />
          </Field>
          <Field id="t-host" label={t('tenants.host')} error={err('host')} hint={t('tenants.hostHint')}>
            <input name="host" autoComplete="off" placeholder="goteborg.example.se" />
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('tenants.admin')}</legend>
          <Field id="t-admin-name" label={t('admin.name')} error={err('admin.name')}>
            <input name="admin_name" autoComplete="off" />
          </Field>
          <Field id="t-admin-email" label={t('signIn.email')} error={err('admin.email')}>
            <input name="admin_email" type="email" autoComplete="off" />
          </Field>
          <Field id="t-admin-password" label={t('signIn.password')} error={err('admin.password')} hint={t('admin.passwordHint')}>
            <input name="admin_password" type="password" autoComplete="new-password" />
          </Field>
        </fieldset>
        {create.isError && !hasFieldErrors(create.error) && <Failure error={create.error} />}
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? t('common.loading') : t('tenants.create')}
        </button>
        <p role="status">{made && t('tenants.created', { name: made.name })}</p>
      </form>
    </section>
  )
}
