import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router-dom'
import { api, type Schemas } from '../api/client'
import { useCodeList, useDistricts } from '../codes'
import { AddForm, Checks, Field, Select } from '../form'
import { indicatorRequestResult_levelValues, indicatorResult_levelValues, newPartyRoleValues, transitionRequestToValues, updatePartnershipDecision_stepValues, updatePartnershipParticipation_levelValues } from '../api/schema'
import { codeField, kronorField } from '../fields'

export function AddParty({ partnershipId }: { partnershipId: string }) {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  const orgs = useQuery({
    queryKey: ['organisations', 'pick', q],
    queryFn: async () => (await api.GET('/organisations', { params: { query: { q: q || undefined, limit: 50, sort: 'name' } } })).data?.items ?? [],
    placeholderData: (previous) => previous,
  })
  return (
    <AddForm
      title={t('edit.addParty')}
      partnershipId={partnershipId}
      send={async (v) => {
        const body: Schemas['NewParty'] = { organisation_id: v.organisation_id ?? '', role: codeField(v.role, newPartyRoleValues) }
        return api.POST('/partnerships/{id}/parties', { params: { path: { id: partnershipId } }, body })
      }}
    >
      {(err) => (
        <>
          <Field id="party-q" label={t('edit.findOrganisation')}>
            <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          </Field>
          <Field id="party-org" label={t('partnership.organisation')} error={err('organisation_id')}>
            <select name="organisation_id" defaultValue="" key={orgs.data?.map((o) => o.id).join()}>
              <option value="" disabled>
                {t('common.choose')}
              </option>
              {orgs.data?.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="party-role" label={t('partnership.role')} error={err('role')}>
            <select name="role" defaultValue="partner">
              {newPartyRoleValues.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </Field>
        </>
      )}
    </AddForm>
  )
}

export function AddFunding({ partnershipId, parties }: { partnershipId: string; parties: Schemas['Party'][] }) {
  const { t } = useTranslation()
  const sources = useQuery({
    queryKey: ['funding-sources'],
    queryFn: async () => (await api.GET('/funding-sources')).data?.items ?? [],
  })
  return (
    <AddForm
      title={t('edit.addFunding')}
      partnershipId={partnershipId}
      refresh={[['allocations', partnershipId]]}
      send={async (v) => {
        const body: Schemas['AllocationRequest'] = {
          partnership_id: partnershipId,
          source_id: v.source_id ?? '',
          recipient_organisation_id: v.recipient_organisation_id ?? '',
          status: 'granted',
          granted_ore: kronorField(v.granted_kr, 'granted_ore', t('edit.notAmount')),
          fiscal_year: Number(v.fiscal_year),
          decision_date: v.decision_date,
        }
        return api.POST('/allocations', { body })
      }}
    >
      {(err) => (
        <>
          <Field id="alloc-source" label={t('overview.source')} error={err('source_id')}>
            <select name="source_id" defaultValue="">
              <option value="" disabled>
                {t('common.choose')}
              </option>
              {sources.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="alloc-recipient" label={t('edit.recipient')} error={err('recipient_organisation_id')}>
            <select name="recipient_organisation_id" defaultValue="">
              <option value="" disabled>
                {t('common.choose')}
              </option>
              {parties.map((p) => (
                <option key={p.id} value={p.organisation_id}>
                  {p.organisation_name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="alloc-kr" label={t('edit.grantedKr')} error={err('granted_ore')}>
            <input name="granted_kr" inputMode="decimal" />
          </Field>
          <Field id="alloc-year" label={t('edit.fiscalYear')} error={err('fiscal_year')}>
            <input name="fiscal_year" type="number" defaultValue={new Date().getFullYear()} />
          </Field>
          <Field id="alloc-decided" label={t('edit.decided')} error={err('decision_date')}>
            <input name="decision_date" type="date" />
          </Field>
        </>
      )}
    </AddForm>
  )
}

export function AddIndicator({ partnershipId }: { partnershipId: string }) {
  const { t } = useTranslation()
  return (
    <AddForm
      title={t('edit.addIndicator')}
      partnershipId={partnershipId}
      send={async (v) => {
        const target = v.target ? [{ period_start: v.target_start ?? '', period_end: v.target_end ?? '', target: Number(v.target.replace(',', '.')) }] : undefined
        const body: Schemas['IndicatorRequest'] = { name: v.name, unit: v.unit, result_level: codeField(v.result_level, indicatorRequestResult_levelValues), targets: target }
        return api.POST('/partnerships/{id}/indicators', { params: { path: { id: partnershipId } }, body })
      }}
    >
      {(err) => (
        <>
          <Field id="ind-name" label={t('edit.indicatorName')} error={err('name')}>
            <input name="name" />
          </Field>
          <Field id="ind-unit" label={t('edit.unit')} error={err('unit')}>
            <input name="unit" />
          </Field>
          <Field id="ind-level" label={t('edit.resultLevel')} error={err('result_level')}>
            <select name="result_level" defaultValue="output">
              {indicatorResult_levelValues.map((l) => (
                <option key={l} value={l}>
                  {t(`edit.level_${l}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="ind-target" label={t('edit.target')} error={err('targets.target') ?? err('targets')}>
            <input name="target" inputMode="decimal" />
          </Field>
          <Field id="ind-from" label={t('edit.targetFrom')} error={err('targets.period_start')}>
            <input name="target_start" type="date" />
          </Field>
          <Field id="ind-to" label={t('edit.targetTo')} error={err('targets.period_end')}>
            <input name="target_end" type="date" />
          </Field>
        </>
      )}
    </AddForm>
  )
}

/** The status changes the partnership allows now, dated. */
export function ChangeStatus({ partnershipId, allowed }: { partnershipId: string; allowed: string[] }) {
  const { t } = useTranslation()
  if (!allowed.length) return null
  return (
    <AddForm
      title={t('edit.changeStatus')}
      action={t('edit.change')}
      partnershipId={partnershipId}
      send={async (v) => {
        const body: Schemas['TransitionRequest'] = { to: codeField(v.to, transitionRequestToValues), on: v.on, reason: v.reason }
        return api.POST('/partnerships/{id}/transitions', { params: { path: { id: partnershipId } }, body })
      }}
    >
      {(err) => (
        <>
          <Field id="tr-to" label={t('edit.newStatus')} error={err('to')}>
            <select name="to" defaultValue={allowed[0]}>
              {allowed.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="tr-on" label={t('edit.statusOn')} error={err('on')}>
            <input name="on" type="date" defaultValue={new Date().toISOString().slice(0, 10)} />
          </Field>
          <Field id="tr-reason" label={t('edit.reason')} error={err('reason')}>
            <input name="reason" />
          </Field>
        </>
      )}
    </AddForm>
  )
}

/** Extends a partnership into a new period: a successor with the same parties, commitments and indicators. */
export function Extend({ partnershipId }: { partnershipId: string }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  return (
    <AddForm
      title={t('edit.extend')}
      action={t('edit.extendAction')}
      partnershipId={partnershipId}
      send={async (v) => {
        // status null: the successor starts in the API's default status.
        const body: Schemas['ExtendRequest'] = { start_date: v.start_date ?? '', end_date: v.end_date, title: v.title, status: null }
        const res = await api.POST('/partnerships/{id}/extend', { params: { path: { id: partnershipId } }, body })
        const next = res.data?.id
        if (next) void navigate(`/samverkan/${next}`)
        return res
      }}
    >
      {(err) => (
        <>
          <Field id="ext-start" label={t('partnership.period_start')} error={err('start_date')}>
            <input name="start_date" type="date" />
          </Field>
          <Field id="ext-end" label={t('partnership.period_end')} error={err('end_date')}>
            <input name="end_date" type="date" />
          </Field>
          <Field id="ext-title" label={t('edit.extendTitle')} error={err('title')} hint={t('edit.extendTitleHint')}>
            <input name="title" />
          </Field>
        </>
      )}
    </AddForm>
  )
}

/** Changes what a partnership is; If-Match guards against overwriting someone else's change. */
export function EditPartnership({ partnership: p }: { partnership: Schemas['PartnershipDetail'] }) {
  const { t } = useTranslation()
  const levels = useCodeList('participation_levels')
  const steps = useCodeList('decision_steps')
  const groups = useCodeList('target_groups')
  const goals = useCodeList('policy_goals')
  const principles = useCodeList('principles')
  const districts = useDistricts()
  return (
    <AddForm
      title={t('edit.edit')}
      action={t('edit.save')}
      partnershipId={p.id}
      send={async (v, form) => {
        const scores: Record<string, Schemas['PrincipleAssessment']> = {}
        for (const e of principles.entries) {
          const score = Number(v[`principle_${e.code}`] ?? 0)
          if (score) scores[e.code!] = { score, comment: p.principles?.[e.code!]?.comment ?? '' }
        }
        const body: Schemas['UpdatePartnership'] = {
          title: v.title ?? '',
          purpose: v.purpose ?? '',
          start_date: v.start_date ?? '',
          end_date: v.end_date ?? '',
          participation_level: codeField(v.participation_level ?? '', updatePartnershipParticipation_levelValues),
          decision_step: codeField(v.decision_step ?? '', updatePartnershipDecision_stepValues),
          target_groups: form.getAll('target_groups').map(String),
          district_ids: form.getAll('district_ids').map(String),
          policy_goals: form.getAll('policy_goals').map(String),
          principles: scores,
        }
        return api.PATCH('/partnerships/{id}', { params: { path: { id: p.id! }, header: { 'If-Match': `"${p.version}"` } }, body })
      }}
    >
      {(err) => (
        <div className="stack wide">
          <Field id="e-title" label={t('partnerships.name')} error={err('title')}>
            <input name="title" defaultValue={p.title} />
          </Field>
          <Field id="e-purpose" label={t('newPartnership.purpose')} error={err('purpose')}>
            <textarea name="purpose" rows={3} defaultValue={p.purpose} />
          </Field>
          <Field id="e-start" label={t('partnership.period_start')} error={err('start_date')}>
            <input name="start_date" type="date" defaultValue={p.start_date} />
          </Field>
          <Field id="e-end" label={t('partnership.period_end')} error={err('end_date')}>
            <input name="end_date" type="date" defaultValue={p.end_date} />
          </Field>
          <Field id="e-level" label={t('partnership.participationLevel')} error={err('participation_level')}>
            <Select name="participation_level" value={p.participation_level} entries={levels.entries} label={levels.label} />
          </Field>
          <Field id="e-step" label={t('partnership.decisionStep')} error={err('decision_step')}>
            <Select name="decision_step" value={p.decision_step} entries={steps.entries} label={steps.label} />
          </Field>
          <Checks legend={t('partnership.districts')} name="district_ids" options={districts.map((d) => [d.id!, d.name!])} selected={p.district_ids} error={err('district_ids')} />
          <Checks legend={t('partnership.targetGroups')} name="target_groups" options={groups.entries.map((e) => [e.code!, groups.label(e.code!)])} selected={p.target_groups} error={err('target_groups')} />
          <Checks legend={t('partnership.policyGoals')} name="policy_goals" options={goals.entries.map((e) => [e.code!, goals.label(e.code!)])} selected={p.policy_goals} error={err('policy_goals')} />
          <fieldset>
            <legend>{t('partnership.principles')}</legend>
            <p className="muted">{t('partnership.principlesHint')}</p>
            {principles.entries.map((e) => (
              <Field key={e.code} id={`e-pr-${e.code}`} label={principles.label(e.code!)} error={err(`principles.${e.code}.score`)}>
                <select name={`principle_${e.code}`} defaultValue={p.principles?.[e.code!]?.score ?? ''}>
                  <option value="">–</option>
                  {[1, 2, 3, 4, 5].map((n) => (
                    <option key={n}>{n}</option>
                  ))}
                </select>
              </Field>
            ))}
          </fieldset>
        </div>
      )}
    </AddForm>
  )
}
