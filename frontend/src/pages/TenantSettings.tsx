import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, Problem, type Schemas } from '../api/client'
import { fieldErrors, hasFieldErrors, values } from '../fields'
import { Field } from '../form'
import { dateTime } from '../format'
import { Failure, Loading } from '../states'
import { useTenant } from '../tenant'

/** The tenant itself, for its administrator: its name, colour and address, and whether the platform operator may read its records. */
export function TenantSettings() {
  const { t } = useTranslation()
  const tenant = useTenant()
  return (
    <section aria-labelledby="a-tenant">
      <h2 id="a-tenant">{t('tenants.settings')}</h2>
      {tenant.isPending ? (
        <Loading />
      ) : tenant.isError ? (
        <Failure error={tenant.error} retry={tenant.refetch} />
      ) : tenant.data ? (
        <>
          <Look tenant={tenant.data} />
          <OperatorAccess tenant={tenant.data} />
        </>
      ) : null}
    </section>
  )
}

function Look({ tenant }: { tenant: Schemas['Tenant'] }) {
  const { t } = useTranslation()
  const client = useQueryClient()
  const save = useMutation({
    mutationFn: async (body: Schemas['TenantPatch']) =>
      (await api.PATCH('/tenant', { params: { header: { 'If-Match': `"${tenant.version}"` } }, body })).data!,
    onSuccess: (saved) => client.setQueryData(['tenant'], saved),
  })
  const err = fieldErrors(save.error)
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const v = values(e.currentTarget)
    save.mutate({ name: v.name ?? '', colour: v.colour?.toLowerCase(), host: v.host?.toLowerCase() ?? '' })
  }
  return (
    <details>
      <summary>{t('tenants.changeLook')}</summary>
      {/* Keyed by version: a saved change is what the fields show next. */}
      <form key={tenant.version} onSubmit={submit} className="report" noValidate>
        <Field id="ts-name" label={t('tenants.name')} error={err('name')}>
          <input name="name" defaultValue={tenant.name} />
        </Field>
        <Field id="ts-colour" label={t('tenants.colour')} error={err('colour')}>
          <input name="colour" type="color" defaultValue={tenant.colour} />
        </Field>
        <Field id="ts-host" label={t('tenants.host')} error={err('host')} hint={t('tenants.hostHint')}>
          <input name="host" defaultValue={tenant.host} placeholder="goteborg.example.se" />
        </Field>
        {save.isError && !hasFieldErrors(save.error) && <Failure error={save.error} />}
        <button type="submit" disabled={save.isPending}>
          {t('edit.save')}
        </button>
        <p role="status">{save.isSuccess && t('tenants.saved')}</p>
      </form>
    </details>
  )
}

function OperatorAccess({ tenant }: { tenant: Schemas['Tenant'] }) {
  const { t } = useTranslation()
  const client = useQueryClient()
  const grant = useMutation({
    mutationFn: async (until: string | null) => {
      if (until === '') throw new Problem(400, t('fieldErrors.required'), '', [{ field: 'until', code: 'required', message: t('fieldErrors.required') }])
      return (await api.PUT('/tenant/operator-access', { params: { header: { 'If-Match': `"${tenant.version}"` } }, body: { until } })).data!
    },
    onSuccess: (saved) => client.setQueryData(['tenant'], saved),
  })
  const err = fieldErrors(grant.error)
  const open = tenant.operator_access_until && new Date(tenant.operator_access_until) > new Date()
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const day = values(e.currentTarget).until
    // The end of the chosen day, Swedish time as the browser keeps it.
    grant.mutate(day ? new Date(`${day}T23:59:59`).toISOString() : '')
  }
  return (
    <>
      <p>{open ? t('tenants.operatorUntil', { until: dateTime(tenant.operator_access_until!) }) : t('tenants.operatorNone')}</p>
      <details>
        <summary>{t('tenants.operatorAccess')}</summary>
        <form onSubmit={submit} className="report" noValidate>
          <Field id="ts-until" label={t('tenants.operatorUntilLabel')} error={err('until')} hint={t('tenants.operatorHint')}>
            <input name="until" type="date" />
          </Field>
          {grant.isError && !hasFieldErrors(grant.error) && <Failure error={grant.error} />}
          <button type="submit" disabled={grant.isPending}>
            {t('tenants.grant')}
          </button>
          {open && (
            <button type="button" disabled={grant.isPending} onClick={() => grant.mutate(null)}>
              {t('tenants.endGrant')}
            </button>
          )}
        </form>
      </details>
    </>
  )
}
