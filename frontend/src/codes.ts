import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from './api/client'

/** A code list's entries and a function from code to label in the current language. */
export function useCodeList(list: string) {
  const { i18n } = useTranslation()
  const q = useQuery({
    queryKey: ['code-list', list],
    queryFn: async () => (await api.GET('/code-lists/{list}', { params: { path: { list } } })).data?.items ?? [],
    staleTime: Infinity,
  })
  const label = (code: string) => {
    const e = q.data?.find((x) => x.code === code)
    return (i18n.language === 'en' ? e?.label_en : e?.label_sv) ?? code
  }
  return { entries: q.data ?? [], label }
}

/** Every code list at once (one request), for tables whose columns hold codes of several lists. */
export function useCodeLists() {
  const { i18n } = useTranslation()
  const q = useQuery({
    queryKey: ['code-lists'],
    queryFn: async () => (await api.GET('/code-lists')).data?.lists ?? {},
    staleTime: Infinity,
  })
  return (list: string, code: string) => {
    const e = q.data?.[list]?.find((x) => x.code === code)
    return (i18n.language === 'en' ? e?.label_en : e?.label_sv) ?? code
  }
}

/** Every district, for pickers and for showing names of district ids. */
export function useDistricts() {
  const q = useQuery({ queryKey: ['districts', ''], queryFn: async () => (await api.GET('/districts')).data?.items ?? [], staleTime: Infinity })
  return q.data ?? []
}
