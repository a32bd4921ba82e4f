import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useParams, Link } from 'react-router-dom'
import { download } from '../api/client'
import { Empty, Failure, Loading } from '../states'
import { columnsOf, useReport, type Column, type Row } from './report'

export const reportNames = ['portfolio', 'funding', 'state-aid', 'outcomes', 'follow-up', 'lessons', 'action-plans', 'meetings', 'matching'] as const

/** Every report: its tables, and downloads as CSV (one table) or Excel (all). */
export default function Reports() {
  const { t } = useTranslation()
  const { name = 'portfolio' } = useParams()
  const [year, setYear] = useState('')
  return (
    <>
      <h1>{t('reports.title')}</h1>
      <nav aria-label={t('reports.title')} className="tabs">
        {reportNames.map((r) => (
          <Link key={r} to={`/rapporter/${r}`} aria-current={r === name ? 'page' : undefined}>
            {t(`reports.${r}`)}
          </Link>
        ))}
      </nav>
      <h2>{t(`reports.${name}`)}</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="r-year">{t('overview.year')}</label>
        <input id="r-year" type="number" min="1990" max="2100" value={year} onChange={(e) => setYear(e.target.value)} />
      </form>
      <ReportView name={name} query={year ? { year } : {}} />
    </>
  )
}

/** A report's tables with their downloads: CSV per table, Excel for all. */
export function ReportView({ name, query, level = 3 }: { name: string; query: Record<string, string>; level?: 2 | 3 }) {
  const { t } = useTranslation()
  const report = useReport(name, query)
  const [busy, setBusy] = useState('')
  const [error, setError] = useState<unknown>(null)
  const qs = new URLSearchParams(query).toString()
  const file = name.split('/')[0]
  const H = level === 2 ? 'h2' : 'h3'

  async function get(format: string, table: string | null, filename: string) {
    setBusy(filename)
    setError(null)
    try {
      await download(`/reports/${name}?format=${format}${table ? '&table=' + table : ''}${qs ? '&' + qs : ''}`, filename)
    } catch (e) {
      setError(e)
    } finally {
      setBusy('')
    }
  }

  if (report.isPending) return <Loading />
  if (report.isError) return <Failure error={report.error} retry={report.refetch} />
  return (
    <>
      <button type="button" onClick={() => get('xlsx', null, `${file}.xlsx`)} disabled={!!busy} aria-busy={busy === `${file}.xlsx`}>
        {busy === `${file}.xlsx` ? t('common.loading') : t('reports.xlsx')}
      </button>
      {error != null && <Failure error={error} />}
      {Object.entries(report.data.tables).map(([table, rows]) => (
        <section key={table} aria-labelledby={'t-' + table}>
          <H id={'t-' + table}>{t(`reports.tables.${table}`, { defaultValue: table.replace(/_/g, ' ') })}</H>
          <button type="button" onClick={() => get('csv', table, `${file}-${table}.csv`)} disabled={!!busy}>
            {t('common.csv')}
          </button>
          <Table rows={rows} cols={columnsOf(report.data, table)} />
        </section>
      ))}
    </>
  )
}

function Table({ rows, cols }: { rows: Row[]; cols: Column[] }) {
  if (!rows.length) return <Empty />
  return (
    <div className="scroll" tabIndex={0} role="region" aria-label={cols.map((c) => c.label).join(', ')}>
      <table>
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, 200).map((r, i) => (
            <tr key={i}>
              {cols.map((c) => (
                <td key={c.key}>{r[c.key] == null ? '' : String(r[c.key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
