import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useParams, Link } from 'react-router-dom'
import { download } from '../api/client'
import { useCodeLists } from '../codes'
import { date, kronor, number } from '../format'
import { Empty, Failure, Loading } from '../states'
import { columnsOf, reportNames, useReport, type Column, type Row } from './report'

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
      <button type="button" onClick={() => void get('xlsx', null, `${file}.xlsx`)} disabled={!!busy} aria-busy={busy === `${file}.xlsx`}>
        {busy === `${file}.xlsx` ? t('common.loading') : t('reports.xlsx')}
      </button>
      {error != null && <Failure error={error} />}
      {Object.entries(report.data.tables).map(([table, rows]) => (
        <section key={table} aria-labelledby={'t-' + table}>
          <H id={'t-' + table}>{t(`reports.tables.${table}`, { defaultValue: table.replace(/_/g, ' ') })}</H>
          <button type="button" onClick={() => void get('csv', table, `${file}-${table}.csv`)} disabled={!!busy}>
            {t('common.csv')}
          </button>
          <Table rows={rows} cols={columnsOf(report.data, table)} />
        </section>
      ))}
    </>
  )
}

// Columns that hold codes, and the code list that names them.
const coded: Record<string, string[]> = {
  form: ['forms'],
  status: ['statuses', 'allocation_statuses', 'measurement_statuses'],
  role: ['party_roles'],
  sector: ['sectors'],
  legal_form: ['legal_forms'],
  result_level: ['result_levels'],
  category: ['lesson_categories'],
  factor: ['lesson_factors'],
  participation_level: ['participation_levels'],
}

/** A cell as a reader expects it: money in kronor, dates in Swedish, codes by their names. */
function useCell() {
  const label = useCodeLists()
  return (key: string, v: Row[string]) => {
    if (v == null || v === '') return ''
    if (key.endsWith('_ore')) return kronor(Number(v))
    if (key.endsWith('_sek')) return kronor(Math.round(Number(v)) * 100) // whole kronor from the server
    if (coded[key]) return coded[key].map((list) => label(list, String(v))).find((x) => x !== v) ?? String(v)
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return date(v)
    if (typeof v === 'number' && !/year/.test(key)) return number(v)
    return String(v)
  }
}

function Table({ rows, cols }: { rows: Row[]; cols: Column[] }) {
  const cell = useCell()
  if (!rows.length) return <Empty />
  return (
    <div className="scroll" tabIndex={0} role="region" aria-label={cols.map((c) => c.label).join(', ')}>
      <table>
        <thead>
          <tr>
            {cols.map((c) => (
              <th key={c.key} scope="col">
                {c.key.endsWith('_ore') ? c.label.replace(/ ?\(öre\)/, ' (kr)') : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, 200).map((r, i) => (
            <tr key={i}>
              {cols.map((c) => (
                <td key={c.key}>{cell(c.key, r[c.key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
