import { useInfiniteQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../../api/client'
import { dateTime } from '../../format'
import { Empty, Failure, Loading } from '../../states'
import type { TabProps } from './tab'

/** Every change to the partnership and what hangs on it, from the audit trail, newest first. */
export default function History({ partnership: p }: TabProps) {
  const { t } = useTranslation()
  const q = useInfiniteQuery({
    queryKey: ['history', p.id, p.version],
    queryFn: async ({ pageParam }) => (await api.GET('/partnerships/{id}/history', { params: { path: { id: p.id! }, query: { cursor: pageParam || undefined } } })).data!,
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor || undefined,
  })
  if (q.isPending) return <Loading />
  if (q.isError) return <Failure error={q.error} retry={q.refetch} />
  const events = q.data.pages.flatMap((x) => x.items ?? [])
  return (
    <>
      <h2>{t('partnership.tab.historik')}</h2>
      {!events.length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('history.when')}</th>
              <th scope="col">{t('history.who')}</th>
              <th scope="col">{t('history.what')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const [entity, verb] = (e.action ?? '').split('.')
              return (
                <tr key={e.id}>
                  <td className="nowrap">{dateTime(e.occurred_at!)}</td>
                  <td>{e.actor_type === 'system' ? t('history.system') : e.actor_name}</td>
                  <td>
                    {t(`history.entity.${entity}`, { defaultValue: entity })} {t(`history.verb.${verb}`, { defaultValue: verb })}
                    {!!e.changed?.length && (
                      <span className="muted">
                        {' '}
                        ({e.changed.map((f) => t(`history.field.${f}`, { defaultValue: f })).join(', ')})
                      </span>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {q.hasNextPage && (
        <button type="button" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          {q.isFetchingNextPage ? t('common.loading') : t('history.more')}
        </button>
      )}
    </>
  )
}
