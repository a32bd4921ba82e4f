import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router-dom'
import { api } from '../api/client'
import { Bars as Chart } from '../chart'
import { useCodeList } from '../codes'
import { date, kronor, number } from '../format'
import { Empty, Failure, Loading } from '../states'
import { useReport, type Row } from './report'
import { Figure } from '../figures'

const thisYear = new Date().getFullYear()
const years = Array.from({ length: thisYear - 2009 }, (_, i) => thisYear - i)

/** Key figures, the portfolio and funding at a glance, and what needs attention. */
export default function Overview() {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const year = Number(params.get('year')) || thisYear
  const municipality = params.get('municipality') ?? ''
  const district = params.get('district') ?? ''
  const where = { municipality: municipality || undefined, district: district || undefined }
  const { label } = useCodeList('forms')
  const municipalities = useQuery({ queryKey: ['municipalities'], queryFn: async () => (await api.GET('/municipalities')).data?.items ?? [], staleTime: Infinity })
  const districts = useQuery({
    queryKey: ['districts', municipality],
    queryFn: async () => (await api.GET('/districts', { params: { query: { municipality: municipality || undefined } } })).data?.items ?? [],
    staleTime: Infinity,
  })
  const portfolio = useReport('portfolio', { year, ...where })
  const funding = useReport('funding', { year, ...where })
  const outcomes = useReport('outcomes', { year, ...where })
  const followUp = useReport('follow-up', { days: 90, ...where })
  const allYears = useReport('funding', { ...where })
  const perYear = useMemo(() => bySourceAndYear(allYears.data?.tables.by_source ?? []), [allYears.data])
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params)
    if (v) next.set(k, v)
    else next.delete(k)
    if (k === 'municipality') next.delete('district')
    setParams(next)
  }

  const breakdown = portfolio.data?.tables.breakdown ?? []
  const active = breakdown.find((r) => r.dimension === 'status' && r.key === 'active')?.partnerships ?? 0
  const byForm = breakdown.filter((r) => r.dimension === 'form')
  const byDistrict = breakdown.filter((r) => r.dimension === 'district')
  const attainment = (outcomes.data?.tables.indicators ?? [])
    .filter((r) => r.attainment_percent != null)
    .map((r): [string, number] => [`${r.indicator} (${r.reference})`, Number(r.attainment_percent)])
    .sort((a, b) => a[1] - b[1])
  const sources = sumBy(funding.data?.tables.by_source ?? [], 'source', 'granted_ore')
  const granted = sources.reduce((s, [, v]) => s + v, 0)
  const measured = (outcomes.data?.tables.indicators ?? []).filter((r) => r.actual != null).length

  return (
    <>
      <h1>{t('overview.title')}</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="year">{t('overview.year')}</label>
        <select id="year" value={year} onChange={(e) => set('year', e.target.value)}>
          {years.map((y) => (
            <option key={y}>{y}</option>
          ))}
        </select>
        <label htmlFor="municipality">{t('overview.municipality')}</label>
        <select id="municipality" value={municipality} onChange={(e) => set('municipality', e.target.value)}>
          <option value="">{t('common.all')}</option>
          {municipalities.data?.map((m) => (
            <option key={m.code} value={m.code}>
              {m.name}
            </option>
          ))}
        </select>
        <label htmlFor="district">{t('overview.district')}</label>
        <select id="district" value={district} onChange={(e) => set('district', e.target.value)}>
          <option value="">{t('common.all')}</option>
          {districts.data?.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </form>
      {portfolio.isError && <Failure error={portfolio.error} retry={portfolio.refetch} />}
      <dl className="figures">
        <Figure label={t('overview.active')} value={portfolio.isPending ? '…' : number(Number(active))} />
        <Figure label={t('overview.granted', { year })} value={funding.isPending ? '…' : kronor(granted)} />
        <Figure label={t('overview.outcomes', { year })} value={outcomes.isPending ? '…' : number(measured)} />
        <Figure label={t('overview.followUps')} value={followUp.isPending ? '…' : number(followUp.data?.tables.overdue_follow_ups?.length ?? 0)} />
      </dl>
      <div className="columns">
        <section>
          <h2>{t('overview.byForm')}</h2>
          {portfolio.isPending ? <Loading /> : <BarTable rows={byForm.map((r) => [label(String(r.key)), Number(r.partnerships)])} head={t('partnerships.form')} unit={t('overview.count')} format={number} />}
        </section>
        <section>
          <h2>{t('overview.byDistrict')}</h2>
          {portfolio.isPending ? <Loading /> : <BarTable rows={byDistrict.map((r) => [String(r.label), Number(r.partnerships)])} head={t('overview.district')} unit={t('overview.count')} format={number} />}
        </section>
      </div>
      <div className="columns">
        <section>
          <h2>{t('overview.bySource', { year })}</h2>
          {funding.isPending ? <Loading /> : funding.isError ? <Failure error={funding.error} /> : <BarTable rows={sources} head={t('overview.source')} unit={t('overview.amount')} format={kronor} />}
        </section>
        <section>
          <h2>{t('overview.attainment', { year })}</h2>
          {outcomes.isPending ? (
            <Loading />
          ) : outcomes.isError ? (
            <Failure error={outcomes.error} />
          ) : (
            <BarTable rows={attainment} head={t('overview.indicator')} unit={t('overview.attainmentUnit')} format={(n) => `${number(n)} %`} max={100} />
          )}
        </section>
      </div>
      <section>
        <h2>{t('overview.perYear')}</h2>
        {allYears.isPending ? (
          <Loading />
        ) : allYears.isError ? (
          <Failure error={allYears.error} />
        ) : !perYear.years.length ? (
          <Empty />
        ) : (
          <Chart labels={perYear.years} series={perYear.series} summary={t('overview.perYearSummary')} format={kronor} />
        )}
      </section>
      <div className="columns">
        <section>
          <h2>{t('overview.followUps')}</h2>
          {followUp.isPending ? <Loading /> : <Attention rows={followUp.data?.tables.overdue_follow_ups ?? []} dateKey="due_on" dateLabel={t('overview.due')} />}
        </section>
        <section>
          <h2>{t('overview.endingSoon')}</h2>
          {followUp.isPending ? <Loading /> : <Attention rows={followUp.data?.tables.ending_soon ?? []} dateKey="end_date" dateLabel={t('overview.ends')} />}
        </section>
      </div>
    </>
  )
}

/** Granted öre per fiscal year (labels) and source (series). */
function bySourceAndYear(rows: Row[]) {
  const years = [...new Set(rows.map((r) => String(r.fiscal_year)))].sort()
  const sources = new Map<string, number[]>()
  for (const r of rows) {
    const s = sources.get(String(r.source)) ?? years.map(() => 0)
    s[years.indexOf(String(r.fiscal_year))] += Number(r.granted_ore ?? 0)
    sources.set(String(r.source), s)
  }
  return { years, series: [...sources.entries()].map(([label, values]) => ({ label, values })) }
}

function sumBy(rows: Row[], key: string, value: string): [string, number][] {
  const m = new Map<string, number>()
  for (const r of rows) m.set(String(r[key]), (m.get(String(r[key])) ?? 0) + Number(r[value] ?? 0))
  return [...m.entries()].sort((a, b) => b[1] - a[1])
}

/** A bar chart that is also a table: screen readers read the table. */
function BarTable({ rows, head, unit, format, max }: { rows: [string, number][]; head: string; unit: string; format: (n: number) => string; max?: number }) {
  if (rows.length === 0) return <Empty />
  const top = max ?? Math.max(...rows.map(([, v]) => v), 1)
  return (
    <table className="bars">
      <thead>
        <tr>
          <th scope="col">{head}</th>
          <th scope="col">{unit}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>
              <span className="bar" style={{ width: `${Math.min(v / top, 1) * 100}%` }} aria-hidden="true" />
              {format(v)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Attention({ rows, dateKey, dateLabel }: { rows: Row[]; dateKey: string; dateLabel: string }) {
  const { t } = useTranslation()
  if (rows.length === 0) return <Empty />
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('overview.partnership')}</th>
          <th scope="col">{dateLabel}</th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, 10).map((r, i) => (
          <tr key={i}>
            <td>
              <Link to={`/samverkan?q=${encodeURIComponent(String(r.reference))}`}>{String(r.title)}</Link>{' '}
              <span className="muted">{String(r.reference)}</span>
            </td>
            <td>{date(String(r[dateKey]))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
