import { useQuery } from '@tanstack/react-query'
import { api, Problem } from '../api/client'
import type { paths } from '../api/schema'

export type Row = Record<string, string | number | null>
export type Column = { key: string; label: string }

type ReportPath = Exclude<Extract<keyof paths, `/reports/${string}`>, `${string}{id}`>
type ReportName = ReportPath extends `/reports/${infer N}` ? N : never

/** The reports with a tab of their own (every one in the spec but the organisation's). */
export const reportNames = ['portfolio', 'funding', 'state-aid', 'outcomes', 'follow-up', 'lessons', 'action-plans', 'meetings', 'matching'] as const satisfies readonly ReportName[]
const isReportName = (name: string): name is ReportName => (reportNames as readonly string[]).includes(name)

/** A report's tables, by name: one of reportNames, or organisation/{id}. */
export function useReport(name: string, query: Record<string, string | number | undefined>) {
  return useQuery({
    queryKey: ['report', name, query],
    queryFn: async () => {
      const org = /^organisation\/([^/]+)$/.exec(name)
      let data
      if (org) data = (await api.GET('/reports/organisation/{id}', { params: { path: { id: org[1] }, query } })).data
      else if (isReportName(name)) data = (await api.GET(`/reports/${name}`, { params: { query } })).data
      else throw new Problem(404, 'Not Found', `no report ${name}`)
      // The spec gives a table's rows no type (Record<string, never>); they are Rows.
      const tables: Record<string, Row[]> = data?.tables ?? {}
      const columns: Record<string, Column[]> = {}
      for (const [table, cols] of Object.entries(data?.columns ?? {})) columns[table] = cols.map((c) => ({ key: c.key ?? '', label: c.label ?? c.key ?? '' }))
      return { tables, columns }
    },
  })
}

/** The columns of a table, in order with their labels (keys if unknown). */
export function columnsOf(report: { tables: Record<string, Row[]>; columns: Record<string, Column[]> }, table: string): Column[] {
  return report.columns[table] ?? Object.keys(report.tables[table]?.[0] ?? {}).map((key) => ({ key, label: key }))
}
