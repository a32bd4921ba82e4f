import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { Bars } from '../../chart'
import { number, period } from '../../format'
import { AddForm, Field } from '../../form'
import { Empty, Failure, Loading } from '../../states'
import { AddIndicator } from '../PartnershipEdit'
import type { TabProps } from './tab'

/** What the partnership is to achieve: each indicator's targets against approved outcomes, and reporting. */
export default function Indicators({ partnership: p, canEdit, canReport }: TabProps) {
  const { t } = useTranslation()
  return (
    <>
      <h2>{t('partnership.indicators')}</h2>
      {!p.indicators?.length ? <Empty /> : p.indicators.map((i) => <Indicator key={i.indicator_id} partnershipId={p.id!} indicator={i} canReport={canReport} />)}
      {canEdit && <AddIndicator partnershipId={p.id!} />}
    </>
  )
}

function Indicator({ partnershipId, indicator: i, canReport }: { partnershipId: string; indicator: Schemas['IndicatorSummary']; canReport: boolean }) {
  const { t } = useTranslation()
  const pct = i.attainment_percent
  return (
    <section className="indicator" aria-labelledby={'ind-' + i.indicator_id}>
      <h3 id={'ind-' + i.indicator_id}>
        {i.name} <span className="muted">({i.unit})</span>
      </h3>
      <p>
        {t('partnership.actual')}: <strong>{i.actual != null ? number(i.actual) : '–'}</strong> {t('partnership.ofTarget')}{' '}
        <strong>{i.target != null ? number(i.target) : '–'}</strong>
        {pct != null && <> ({number(pct)} %)</>}
        {!!i.pending_measurements && <> · {t('partnership.pending', { count: i.pending_measurements })}</>}
      </p>
      {pct != null && (
        <div className="meter" role="img" aria-label={`${number(pct)} %`}>
          <span style={{ width: `${Math.min(pct, 100)}%` }} />
        </div>
      )}
      <Periods indicatorId={i.indicator_id!} name={i.name!} />
      {canReport && <Report partnershipId={partnershipId} indicatorId={i.indicator_id!} />}
    </section>
  )
}

/** Targets and approved outcomes per period, as a chart and as the same figures in a table. */
function Periods({ indicatorId, name }: { indicatorId: string; name: string }) {
  const { t } = useTranslation()
  const q = useQuery({
    queryKey: ['indicator', indicatorId],
    queryFn: async () => (await api.GET('/indicators/{id}', { params: { path: { id: indicatorId } } })).data!,
  })
  const periods = useMemo(() => q.data?.periods ?? [], [q.data])
  const chart = useMemo(
    () => ({
      labels: periods.map((x) => period(x.period_start, x.period_end)),
      series: [
        { label: t('partnership.target'), values: periods.map((x) => x.target ?? 0) },
        { label: t('partnership.actual'), values: periods.map((x) => x.actual ?? 0) },
      ],
    }),
    [periods, t],
  )
  if (q.isPending) return <Loading />
  if (q.isError) return <Failure error={q.error} />
  if (!periods.length) return <p className="muted">{t('partnership.noTargets')}</p>
  return (
    <>
      <Bars labels={chart.labels} series={chart.series} stacked={false} format={number} summary={t('partnership.periodsSummary', { name })} />
      <table>
        <caption>{t('partnership.periodsCaption', { name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('partnerships.period')}</th>
            <th scope="col">{t('partnership.target')}</th>
            <th scope="col">{t('partnership.actual')}</th>
            <th scope="col">{t('overview.attainmentUnit')}</th>
          </tr>
        </thead>
        <tbody>
          {periods.map((x) => (
            <tr key={x.period_start}>
              <th scope="row">{period(x.period_start, x.period_end)}</th>
              <td>{x.target != null ? number(x.target) : '–'}</td>
              <td>{x.actual != null ? number(x.actual) : '–'}</td>
              <td>{x.attainment_percent != null ? `${number(x.attainment_percent)} %` : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

/** The short form an organisation fills in to report an outcome. */
function Report({ partnershipId, indicatorId }: { partnershipId: string; indicatorId: string }) {
  const { t } = useTranslation()
  const id = (field: string) => `m-${indicatorId}-${field}`
  return (
    <AddForm
      title={t('partnership.report')}
      action={t('partnership.send')}
      done={t('partnership.sent')}
      partnershipId={partnershipId}
      refresh={[['indicator', indicatorId]]}
      send={async (v) => {
        const body: Schemas['MeasurementRequest'] = { period_start: v.period_start ?? '', period_end: v.period_end ?? '', value: Number(v.value), note: v.note }
        return api.POST('/indicators/{id}/measurements', { params: { path: { id: indicatorId } }, body })
      }}
    >
      {(err) => (
        <>
          {(['period_start', 'period_end'] as const).map((k) => (
            <Field key={k} id={id(k)} label={t(`partnership.${k}`)} error={err(k)}>
              <input name={k} type="date" required />
            </Field>
          ))}
          <Field id={id('value')} label={t('partnership.value')} error={err('value')}>
            <input name="value" type="number" step="any" required />
          </Field>
          <Field id={id('note')} label={t('partnership.note')} error={err('note')}>
            <input name="note" />
          </Field>
        </>
      )}
    </AddForm>
  )
}
