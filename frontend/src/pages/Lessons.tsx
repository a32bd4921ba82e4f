import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router-dom'
import { api } from '../api/client'
import { useCodeList } from '../codes'
import { values } from '../fields'
import { date } from '../format'
import { Empty, Failure, Loading } from '../states'

/** What was learned, across every partnership: search and filter by factor. */
export default function Lessons() {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const factor = params.get('factor') ?? ''
  const factors = useCodeList('lesson_factors')
  const list = useQuery({
    queryKey: ['lessons', q, factor],
    queryFn: async () => (await api.GET('/lessons', { params: { query: { q: q || undefined, factor: factor || undefined } } })).data?.items ?? [],
  })
  return (
    <>
      <h1>{t('lessons.title')}</h1>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          setParams(values(e.currentTarget))
        }}
      >
        <label htmlFor="lq">{t('lessons.search')}</label>
        <input id="lq" name="q" type="search" defaultValue={q} key={q} />
        <label htmlFor="lf">{t('lessons.factor')}</label>
        <select id="lf" name="factor" defaultValue={factor} key={factor + factors.entries.length}>
          <option value="">{t('common.all')}</option>
          {factors.entries.map((f) => (
            <option key={f.code} value={f.code}>
              {factors.label(f.code!)}
            </option>
          ))}
        </select>
        <button type="submit">{t('common.filter')}</button>
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <Failure error={list.error} retry={list.refetch} />
      ) : !list.data.length ? (
        <Empty />
      ) : (
        <ul className="lessons">
          {list.data.map((l) => (
            <li key={l.id}>
              <p>{l.text}</p>
              <p className="muted">
                {date(l.created_at)} · {(l.factors ?? []).map((f) => factors.label(f)).join(', ')}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
