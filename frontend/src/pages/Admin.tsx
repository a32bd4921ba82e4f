import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../api/client'
import { Field } from '../form'
import { newAPIClientScopesValues, newUserRoleValues } from '../api/schema'
import { codeField, codeFields, field, fieldErrors, hasFieldErrors, values } from '../fields'
import { date, number } from '../format'
import { Empty, Failure, Loading } from '../states'
import { CodeLists, ExchangeRates, Rules } from './AdminSettings'
import { TenantSettings } from './TenantSettings'


/** Administration: the tenant itself, people, API clients, code lists, exchange rates, funding rules and the audit trail. */
export default function Admin() {
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <TenantSettings />
      <Users />
      <Clients />
      <CodeLists />
      <ExchangeRates />
      <Rules />
      <Audit />
    </>
  )
}

function Users() {
  const { t } = useTranslation()
  const client = useQueryClient()
  const users = useQuery({ queryKey: ['users'], queryFn: async () => (await api.GET('/users')).data?.items ?? [] })
  const create = useMutation({
    mutationFn: async (body: Schemas['NewUser']) => (await api.POST('/users', { body })).data!,
    onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }),
  })
  const err = fieldErrors(create.error)
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const v = values(e.currentTarget)
    create.mutate({ name: v.name ?? '', email: v.email ?? '', role: codeField(v.role, newUserRoleValues), password: v.password ?? '' })
  }
  return (
    <section aria-labelledby="a-users">
      <h2 id="a-users">{t('admin.users')}</h2>
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <Failure error={users.error} />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('signIn.email')}</th>
              <th scope="col">{t('admin.role')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{t(`admin.roles.${u.role}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>{t('admin.newUser')}</summary>
        <form onSubmit={submit} className="report" noValidate>
          <Field id="u-name" label={t('admin.name')} error={err('name')}>
            <input name="name" />
          </Field>
          <Field id="u-email" label={t('signIn.email')} error={err('email')}>
            <input name="email" type="email" />
          </Field>
          <Field id="u-role" label={t('admin.role')} error={err('role')}>
            <select name="role" defaultValue="viewer">
              {newUserRoleValues.map((r) => (
                <option key={r} value={r}>
                  {t(`admin.roles.${r}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="u-password" label={t('signIn.password')} error={err('password')} hint={t('admin.passwordHint')}>
            <input name="password" type="password" autoComplete="new-password" />
          </Field>
          {create.isError && !hasFieldErrors(create.error) && <Failure error={create.error} />}
          <button type="submit" disabled={create.isPending}>
            {t('common.add')}
          </button>
          <p role="status">{create.isSuccess && t('common.added')}</p>
        </form>
      </details>
    </section>
  )
}

function Clients() {
  const { t } = useTranslation()
  const client = useQueryClient()
  const [secret, setSecret] = useState<Schemas['APIClientWithSecret'] | null>(null)
  const clients = useQuery({ queryKey: ['api-clients'], queryFn: async () => (await api.GET('/api-clients')).data?.items ?? [] })
  const create = useMutation({
    mutationFn: async (body: Schemas['NewAPIClient']) => (await api.POST('/api-clients', { body })).data!,
    onSuccess: (c) => {
      setSecret(c)
      void client.invalidateQueries({ queryKey: ['api-clients'] })
    },
  })
  const err = fieldErrors(create.error)
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const limit = Number(f.get('rate_limit_per_minute') || 0)
    create.mutate({ name: field(f, 'name'), scopes: codeFields(f.getAll('scopes').map(String), newAPIClientScopesValues), rate_limit_per_minute: limit || undefined })
  }
  return (
    <section aria-labelledby="a-clients">
      <h2 id="a-clients">{t('admin.clients')}</h2>
      {clients.isPending ? (
        <Loading />
      ) : clients.isError ? (
        <Failure error={clients.error} />
      ) : !clients.data.length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('admin.scopes')}</th>
              <th scope="col">{t('admin.rateLimit')}</th>
              <th scope="col">{t('admin.created')}</th>
            </tr>
          </thead>
          <tbody>
            {clients.data.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.scopes?.join(', ')}</td>
                <td>{c.rate_limit_per_minute ? number(c.rate_limit_per_minute) : t('admin.rateLimitDefault')}</td>
                <td>{date(c.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>{t('admin.newClient')}</summary>
        <form onSubmit={submit} noValidate>
          <Field id="c-name" label={t('admin.name')} error={err('name')}>
            <input name="name" />
          </Field>
          <fieldset>
            <legend>{t('admin.scopes')}</legend>
            {newAPIClientScopesValues.map((s) => (
              <label key={s} className="check">
                <input type="checkbox" name="scopes" value={s} /> {s}
              </label>
            ))}
            {err('scopes') && <p className="field-error">{err('scopes')}</p>}
          </fieldset>
          <Field id="c-rate" label={t('admin.rateLimit')} error={err('rate_limit_per_minute')} hint={t('admin.rateLimitHint')}>
            <input name="rate_limit_per_minute" type="number" min={1} max={10000000} inputMode="numeric" />
          </Field>
          {create.isError && !hasFieldErrors(create.error) && <Failure error={create.error} />}
          <button type="submit" disabled={create.isPending}>
            {t('common.add')}
          </button>
        </form>
      </details>
      {secret && (
        <div role="status" className="secret">
          <p>
            <strong>{t('admin.secretOnce')}</strong>
          </p>
          <p>
            client_id: <code>{secret.client_id}</code>
            <br />
            client_secret: <code>{secret.client_secret}</code>
          </p>
        </div>
      )}
    </section>
  )
}

function Audit() {
  const { t } = useTranslation()
  const events = useQuery({ queryKey: ['audit'], queryFn: async () => (await api.GET('/audit-events', { params: { query: { limit: 50 } } })).data?.items ?? [] })
  return (
    <section aria-labelledby="a-audit">
      <h2 id="a-audit">{t('admin.audit')}</h2>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <Failure error={events.error} />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('admin.when')}</th>
              <th scope="col">{t('admin.action')}</th>
              <th scope="col">{t('admin.what')}</th>
              <th scope="col">{t('admin.who')}</th>
            </tr>
          </thead>
          <tbody>
            {events.data.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">{new Date(e.occurred_at!).toLocaleString(document.documentElement.lang === 'en' ? 'en-GB' : 'sv-SE')}</td>
                <td>{e.action}</td>
                <td>
                  {e.entity_type} <span className="muted">{e.entity_id?.slice(0, 8)}</span>
                </td>
                <td>{e.actor_type}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
