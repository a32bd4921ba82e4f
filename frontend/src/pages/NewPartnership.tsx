import { useMutation } from '@tanstack/react-query'
import { type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router-dom'
import { api, type Schemas } from '../api/client'
import { useCodeList } from '../codes'
import { Field } from '../form'
import { newPartnershipFormValues } from '../api/schema'
import { codeField, fieldErrors, values } from '../fields'
import { Failure } from '../states'

/** Register a partnership; parties, money and indicators follow on its page. */
export default function NewPartnership() {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const forms = useCodeList('forms')
  const create = useMutation({
    mutationFn: async (body: Schemas['NewPartnership']) => (await api.POST('/partnerships', { body })).data!,
    onSuccess: (p) => navigate(`/samverkan/${p.id}`),
  })
  const err = fieldErrors(create.error)
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const v = values(e.currentTarget)
    // status and budget_currency null: the API's defaults (idea, SEK).
    const body: Schemas['NewPartnership'] = {
      title: v.title ?? '',
      purpose: v.purpose,
      form: codeField(v.form, newPartnershipFormValues),
      municipality_code: v.municipality_code ?? '',
      start_date: v.start_date,
      end_date: v.end_date,
      status: null,
      budget_currency: null,
    }
    create.mutate(body)
  }
  return (
    <section className="narrow">
      <h1>{t('newPartnership.title')}</h1>
      <form onSubmit={submit} className="stack" noValidate>
        <Field id="p-title" label={t('partnerships.name')} error={err('title')}>
          <input name="title" required />
        </Field>
        <Field id="p-purpose" label={t('newPartnership.purpose')} error={err('purpose')}>
          <textarea name="purpose" rows={3} />
        </Field>
        <Field id="p-form" label={t('partnerships.form')} error={err('form')}>
          <select name="form" required defaultValue="">
            <option value="" disabled>
              {t('common.choose')}
            </option>
            {forms.entries.map((f) => (
              <option key={f.code} value={f.code}>
                {forms.label(f.code!)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="p-municipality" label={t('newPartnership.municipality')} error={err('municipality_code')}>
          <input name="municipality_code" defaultValue="1480" inputMode="numeric" />
        </Field>
        <Field id="p-start" label={t('partnership.period_start')} error={err('start_date')}>
          <input name="start_date" type="date" />
        </Field>
        <Field id="p-end" label={t('partnership.period_end')} error={err('end_date')}>
          <input name="end_date" type="date" />
        </Field>
        {create.isError && !err('title') && !err('form') && !err('municipality_code') && !err('start_date') && !err('end_date') && <Failure error={create.error} />}
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? t('common.loading') : t('newPartnership.create')}
        </button>
      </form>
    </section>
  )
}
