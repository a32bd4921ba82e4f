import { useQuery } from '@tanstack/react-query'
import { api } from '../api/client'

export type Row = Record<string, string | number | null>

/** A report's tables, by name. */
export function useReport(name: string, query: Record<string, string | number | undefined>) {
  return useQuery({
    queryKey: ['report', name, query],
    queryFn: async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { data } = await api.GET(`/reports/${name}` as any, { params: { query } } as any)
      return ((data as { tables?: Record<string, Row[]> })?.tables ?? {}) as Record<string, Row[]>
    },
  })
}
