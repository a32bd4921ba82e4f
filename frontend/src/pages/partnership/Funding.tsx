import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { useCodeList } from '../../codes'
import { date, kronor, number } from '../../format'
import { AddForm, Field } from '../../form'
import { requiredKronorField } from '../../fields'
import { Empty, Failure, Loading } from '../../states'
import { AddFunding } from '../PartnershipEdit'
import { Warnings } from './Overview'
import type { TabProps } from './tab'
import { Figure } from '../../figures'

/** The money: what was applied for, granted and paid, from which sources, and the co-financing. */
export default function Funding({ partnership: p, canEdit }: TabProps) {
  const { t } = useTranslation()
  const statuses = useCodeList('allocation_statuses')
  const allocations = useQuery({
    queryKey: ['allocations', p.id],
    queryFn: async () => (await api.GET('/allocations', { params: { query: { partnership: p.id } } })).data?.items ?? [],
  })
  const sources = useQuery({ queryKey: ['funding-sources'], queryFn: async () => (await api.GET('/funding-sources')).data?.items ?? [] })
  const f = p.funding
  const source = (id?: string) => sources.data?.find((s) => s.id === id)?.name ?? '–'
  const recipient = (id?: string) => p.parties?.find((x) => x.organisation_id === id)?.organisation_name ?? '–'
  return (
    <>
      <h2>{t('partnership.funding')}</h2>
      <Warnings warnings={p.warnings} />
      {f && (
        <dl className="figures">
          <Figure label={t('partnership.applied')} value={kronor(f.applied_ore ?? 0)} />
          <Figure label={t('partnership.granted')} value={kronor(f.granted_ore ?? 0)} />
          <Figure label={t('partnership.disbursed')} value={kronor(f.disbursed_ore ?? 0)} />
          <Figure label={t('partnership.coFinancing')} value={kronor(f.co_financing_ore ?? 0)} />
          <Figure label={t('partnership.inKind')} value={kronor(f.in_kind_ore ?? 0)} />
          {f.granted_share_percent != null && <Figure label={t('partnership.grantedShare')} value={`${number(f.granted_share_percent)} %`} />}
        </dl>
      )}
      {!!f?.by_source?.length && (
        <table>
          <caption>{t('partnership.bySource')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('overview.source')}</th>
              <th scope="col">{t('partnership.granted')}</th>
            </tr>
          </thead>
          <tbody>
            {f.by_source.map((s) => (
              <tr key={s.source_id}>
                <td>{s.source_name}</td>
                <td>{kronor(s.granted_ore ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && <AddFunding partnershipId={p.id!} parties={p.parties ?? []} />}

      <h3>{t('partnership.allocations')}</h3>
      {allocations.isPending ? (
        <Loading />
      ) : allocations.isError ? (
        <Failure error={allocations.error} retry={allocations.refetch} />
      ) : !allocations.data.length ? (
        <Empty />
      ) : (
        allocations.data.map((a) => (
          <section key={a.id} className="indicator" aria-label={`${source(a.source_id)} ${a.fiscal_year}`}>
            <p>
              <strong>{source(a.source_id)}</strong> {a.fiscal_year} · {recipient(a.recipient_organisation_id)} · {statuses.label(a.status!)}
              {a.decision_date && <> · {t('edit.decided')} {date(a.decision_date)}</>}
            </p>
            <p>
              {t('partnership.granted')}: <strong>{kronor(a.granted_ore ?? 0)}</strong> · {t('partnership.disbursed')}: <strong>{kronor(a.disbursed_ore ?? 0)}</strong>
            </p>
            <Warnings warnings={a.warnings} />
            <Disbursements allocation={a} partnershipId={p.id!} canEdit={canEdit} />
          </section>
        ))
      )}
    </>
  )
}

/** An allocation's payments, loaded when opened. */
function Disbursements({ allocation: a, partnershipId, canEdit }: { allocation: Schemas['Allocation']; partnershipId: string; canEdit: boolean }) {
  const { t } = useTranslation()
  const list = useQuery({
    queryKey: ['disbursements', a.id],
    queryFn: async () => (await api.GET('/allocations/{id}/disbursements', { params: { path: { id: a.id! } } })).data?.items ?? [],
  })
  return (
    <>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <Failure error={list.error} />
      ) : !list.data.length ? (
        <p className="muted">{t('partnership.noDisbursements')}</p>
      ) : (
        <table>
          <caption>{t('partnership.disbursements')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('partnership.planned')}</th>
              <th scope="col">{t('partnership.paid')}</th>
              <th scope="col">{t('overview.amount')}</th>
              <th scope="col">{t('partnership.note')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((d) => (
              <tr key={d.id}>
                <td>{date(d.planned_on)}</td>
                <td>{date(d.paid_on)}</td>
                <td>{kronor(d.amount_ore ?? 0)}</td>
                <td>{d.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && (
        <AddForm
          title={t('partnership.addDisbursement')}
          partnershipId={partnershipId}
          refresh={[['disbursements', a.id], ['allocations', partnershipId]]}
          send={async (v) => {
            const body: Schemas['DisbursementRequest'] = { amount_ore: requiredKronorField(v.amount_kr, 'amount_ore', t('edit.notAmount')), paid_on: v.paid_on, planned_on: v.planned_on, note: v.note }
            return api.POST('/allocations/{id}/disbursements', { params: { path: { id: a.id! } }, body })
          }}
        >
          {(err) => (
            <>
              <Field id={`d-${a.id}-kr`} label={t('partnership.amountKr')} error={err('amount_ore')}>
                <input name="amount_kr" inputMode="decimal" />
              </Field>
              <Field id={`d-${a.id}-planned`} label={t('partnership.planned')} error={err('planned_on')}>
                <input name="planned_on" type="date" />
              </Field>
              <Field id={`d-${a.id}-paid`} label={t('partnership.paid')} error={err('paid_on')}>
                <input name="paid_on" type="date" />
              </Field>
              <Field id={`d-${a.id}-note`} label={t('partnership.note')} error={err('note')}>
                <input name="note" />
              </Field>
            </>
          )}
        </AddForm>
      )}
    </>
  )
}
