import { useQuery } from '@tanstack/react-query'
import { api } from '../api/client'

export type Row = Record<string, string | number | null>
export type Column = { key: string; label: string }

/** A report's tables, by name. */
export function useReport(name: string, query: Record<string, string | number | undefined>) {
  return useQuery({
    queryKey: ['report', name, query],
    queryFn: async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { data } = await api.GET(`/reports/${name}` as any, { params: { query } } as any)
      const d = data as { tables?: Record<string, Row[]>; columns?: Record<string, Column[]> } | undefined
      return { tables: d?.tables ?? {}, columns: d?.columns ?? {} }
    },
  })
}

/** The columns of a table, in order with their labels (keys if unknown). */
export function columnsOf(report: { tables: Record<string, Row[]>; columns: Record<string, Column[]> }, table: string): Column[] {
  return report.columns[table] ?? Object.keys(report.tables[table]?.[0] ?? {}).map((key) => ({ key, label: key }))
}
