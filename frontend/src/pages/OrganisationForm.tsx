import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../api/client'
import { useCodeList, useDistricts } from '../codes'
import { Checks, Field } from '../form'
import { newOrganisationLegal_formValues, newOrganisationSectorValues } from '../api/schema'
import { codeField, fieldErrors, hasFieldErrors, values } from '../fields'
import { checkOrgNumber } from '../orgnumber'
import { Failure } from '../states'

/**
 * Creates an organisation, or changes one (with If-Match, so nobody's change
 * is overwritten unseen). The organisationsnummer is checked as it is typed.
 */
export function OrganisationForm({ organisation: o, onSaved }: { organisation?: Schemas['Organisation']; onSaved: (o: Schemas['Organisation']) => void }) {
  const { t } = useTranslation()
  const client = useQueryClient()
  const sectors = useCodeList('sectors')
  const legalForms = useCodeList('legal_forms')
  const groups = useCodeList('target_groups')
  const districts = useDistricts()
  const [orgNumber, setOrgNumber] = useState(o?.org_number ?? '')
  const save = useMutation({
    mutationFn: async (form: FormData) => {
      const v = values(form)
      // A NewOrganisation is also a whole UpdateOrganisation: the edit sends every field.
      const body: Schemas['NewOrganisation'] = {
        name: v.name ?? '',
        org_number: v.org_number ?? '',
        sector: codeField(v.sector ?? '', newOrganisationSectorValues),
        legal_form: codeField(v.legal_form ?? '', newOrganisationLegal_formValues),
        description: v.description ?? '',
        notes: v.notes ?? '',
        website: v.website ?? '',
        email: v.email ?? '',
        phone: v.phone ?? '',
        registered_ideburen: form.get('registered_ideburen') === 'on',
        district_ids: form.getAll('district_ids').map(String),
        target_groups: form.getAll('target_groups').map(String),
      }
      if (!o) return (await api.POST('/organisations', { body })).data!
      return (await api.PATCH('/organisations/{id}', { params: { path: { id: o.id! }, header: { 'If-Match': `"${o.version}"` } }, body })).data!
    },
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['organisations'] })
      void client.invalidateQueries({ queryKey: ['organisation', saved.id] })
      onSaved(saved)
    },
  })
  const err = fieldErrors(save.error)
  const live = checkOrgNumber(orgNumber)
  const id = (f: string) => (o ? `oe-${f}` : `org-${f}`)

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    save.mutate(new FormData(e.currentTarget))
  }

  const choose = (entries: { code?: string }[], label: (c: string) => string) => [
    <option key="" value="" disabled>
      {t('common.choose')}
    </option>,
    ...entries.map((s) => (
      <option key={s.code} value={s.code}>
        {label(s.code!)}
      </option>
    )),
  ]
  return (
    <form onSubmit={submit} className="stack" noValidate>
      <Field id={id('name')} label={t('organisations.name')} error={err('name')}>
        <input name="name" required defaultValue={o?.name} />
      </Field>
      <Field id={id('number')} label={t('organisations.orgNumber')} error={err('org_number') ?? (live ? t(`organisations.orgNumber_${live}`) : undefined)} hint={t('organisations.orgNumberHint')}>
        <input name="org_number" inputMode="numeric" value={orgNumber} onChange={(e) => setOrgNumber(e.target.value)} />
      </Field>
      <Field id={id('sector')} label={t('organisations.sector')} error={err('sector')}>
        <select name="sector" required defaultValue={o?.sector ?? ''} key={sectors.entries.length}>
          {choose(sectors.entries, sectors.label)}
        </select>
      </Field>
      <Field id={id('legal')} label={t('organisations.legalForm')} error={err('legal_form')}>
        <select name="legal_form" required defaultValue={o?.legal_form ?? ''} key={legalForms.entries.length}>
          {choose(legalForms.entries, legalForms.label)}
        </select>
      </Field>
      {o && (
        <>
          <Field id={id('description')} label={t('organisations.description')} error={err('description')}>
            <textarea name="description" rows={3} defaultValue={o.description} />
          </Field>
          <Field id={id('website')} label={t('organisations.website')} error={err('website')}>
            <input name="website" type="url" defaultValue={o.website} />
          </Field>
          <Field id={id('email')} label={t('organisations.email')} error={err('email')}>
            <input name="email" type="email" defaultValue={o.email} />
          </Field>
          <Field id={id('phone')} label={t('organisations.phone')} error={err('phone')}>
            <input name="phone" type="tel" defaultValue={o.phone} />
          </Field>
          <label className="check">
            <input type="checkbox" name="registered_ideburen" defaultChecked={o.registered_ideburen} /> {t('organisations.ideburen')}
          </label>
          <Checks legend={t('partnership.districts')} name="district_ids" options={districts.map((d) => [d.id!, d.name!])} selected={o.district_ids} error={err('district_ids')} />
          <Checks legend={t('partnership.targetGroups')} name="target_groups" options={groups.entries.map((e) => [e.code!, groups.label(e.code!)])} selected={o.target_groups} error={err('target_groups')} />
          <Field id={id('notes')} label={t('organisations.notes')} error={err('notes')} hint={t('organisations.notesHint')}>
            <textarea name="notes" rows={3} defaultValue={o.notes} />
          </Field>
        </>
      )}
      {save.isError && !hasFieldErrors(save.error) && <Failure error={save.error} />}
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? t('common.loading') : o ? t('edit.save') : t('organisations.create')}
      </button>
    </form>
  )
}
