import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router-dom'
import { api, download } from '../api/client'
import type { paths } from '../api/schema'
import { useAuth } from '../auth-context'
import { field } from '../fields'
import { useCodeList } from '../codes'
import { period } from '../format'
import { Empty, Failure, Loading } from '../states'

type ListQuery = NonNullable<paths['/partnerships']['get']['parameters']['query']>

const statuses = ['idea', 'dialogue', 'negotiation', 'active', 'completed', 'terminated', 'cancelled'] as const satisfies ListQuery['status'][]
// The forms the list can filter on (the spec's enum; the code list labels them).
const formCodes = ['iop', 'operating_grant', 'project_grant', 'procurement', 'direct_award', 'choice_system', 'reserved_contract', 'eu_project', 'agreement', 'network'] as const satisfies ListQuery['form'][]
const oneOf = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v)
const sorts = ['-start_date', 'start_date', 'title', 'reference', '-updated_at'] as const
const sizes = ['50', '100', '200'] as const

/** The partnerships the caller may see; filters and the page live in the URL. */
export default function Partnerships() {
  const { t } = useTranslation()
  const { me } = useAuth()
  const [params, setParams] = useSearchParams()
  const filter = { q: params.get('q') ?? '', status: params.get('status') ?? '', form: params.get('form') ?? '', sort: params.get('sort') ?? '', limit: params.get('limit') ?? '' }
  const cursor = params.get('cursor') ?? undefined
  const [downloading, setDownloading] = useState(false)
  const [downloadError, setDownloadError] = useState<unknown>(null)

  const { entries: forms, label } = useCodeList('forms')
  // The URL's filters as the list's query; values it would refuse are left out.
  const query: ListQuery = {
    q: filter.q || undefined,
    status: oneOf(statuses, filter.status) ? filter.status : undefined,
    form: oneOf(formCodes, filter.form) ? filter.form : undefined,
    sort: filter.sort || undefined,
    limit: Number(filter.limit) || 50,
    cursor,
  }
  const list = useQuery({
    queryKey: ['partnerships', query],
    queryFn: async () => (await api.GET('/partnerships', { params: { query } })).data,
  })

  function apply(form: HTMLFormElement) {
    const data = new FormData(form)
    const next = new URLSearchParams()
    for (const k of ['q', 'status', 'form', 'sort', 'limit']) {
      const v = field(data, k)
      if (v) next.set(k, v)
    }
    setParams(next)
  }

  async function csv() {
    setDownloading(true)
    setDownloadError(null)
    try {
      const q = new URLSearchParams(Object.entries(filter).filter(([k, v]) => v && k !== 'limit'))
      q.set('format', 'csv')
      await download('/partnerships?' + q.toString(), 'samverkan.csv')
    } catch (e) {
      setDownloadError(e)
    } finally {
      setDownloading(false)
    }
  }

  return (
    <>
      <h1>{t('partnerships.title')}</h1>
      {me && me.role !== 'reporter' && me.role !== 'viewer' && (
        <p>
          <Link to="/samverkan/ny">{t('newPartnership.title')}</Link>
        </p>
      )}
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          apply(e.currentTarget)
        }}
      >
        <label htmlFor="q">{t('partnerships.search')}</label>
        <input id="q" name="q" type="search" defaultValue={filter.q} key={filter.q} />
        <label htmlFor="status">{t('partnerships.status')}</label>
        <select id="status" name="status" defaultValue={filter.status} key={'s' + filter.status}>
          <option value="">{t('common.all')}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <label htmlFor="form">{t('partnerships.form')}</label>
        <select id="form" name="form" defaultValue={filter.form} key={'f' + filter.form + forms.length}>
          <option value="">{t('common.all')}</option>
          {forms.map((f) => (
            <option key={f.code} value={f.code}>
              {label(f.code!)}
            </option>
          ))}
        </select>
        <label htmlFor="sort">{t('partnerships.sort')}</label>
        <select id="sort" name="sort" defaultValue={filter.sort || '-start_date'} key={'o' + filter.sort}>
          {sorts.map((o) => (
            <option key={o} value={o}>
              {t(`partnerships.sort_${o.replace('-', 'desc_')}`)}
            </option>
          ))}
        </select>
        <label htmlFor="limit">{t('partnerships.perPage')}</label>
        <select id="limit" name="limit" defaultValue={filter.limit || '50'} key={'l' + filter.limit}>
          {sizes.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
        <button type="submit">{t('common.filter')}</button>
        <button type="button" onClick={() => void csv()} disabled={downloading} aria-busy={downloading}>
          {downloading ? t('common.loading') : t('common.csv')}
        </button>
      </form>
      {downloadError != null && <Failure error={downloadError} />}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <Failure error={list.error} retry={list.refetch} />
      ) : !list.data?.items?.length ? (
        <Empty />
      ) : (
        <>
          <table>
            <caption>{t('partnerships.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('partnerships.reference')}</th>
                <th scope="col">{t('partnerships.name')}</th>
                <th scope="col">{t('partnerships.form')}</th>
                <th scope="col">{t('partnerships.status')}</th>
                <th scope="col">{t('partnerships.period')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <td className="nowrap">{p.reference}</td>
                  <td>
                    <Link to={`/samverkan/${p.id}`}>{p.title}</Link>
                  </td>
                  <td>{label(p.form!)}</td>
                  <td>{t(`status.${p.status}`)}</td>
                  <td className="nowrap">
                    {period(p.start_date, p.end_date)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label={t('partnerships.title')}>
            {cursor && (
              <button type="button" onClick={() => setParams(new URLSearchParams(Object.entries(filter).filter(([, v]) => v)))}>
                {t('common.first')}
              </button>
            )}
            {list.data.next_cursor && (
              <button
                type="button"
                onClick={() => {
                  const next = new URLSearchParams(params)
                  next.set('cursor', list.data!.next_cursor!)
                  setParams(next)
                }}
              >
                {t('common.next')}
              </button>
            )}
          </nav>
        </>
      )}
    </>
  )
}
