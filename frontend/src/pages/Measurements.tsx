import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router-dom'
import { api } from '../api/client'
import { date, number } from '../format'
import { Empty, Failure, Loading } from '../states'

/** Measurements waiting for approval: the staff's queue. */
export default function Measurements() {
  const { t } = useTranslation()
  const client = useQueryClient()
  const queue = useQuery({
    queryKey: ['measurements', 'submitted'],
    queryFn: async () => (await api.GET('/measurements', { params: { query: { status: 'submitted' } } })).data?.items ?? [],
  })
  const approve = useMutation({
    mutationFn: async (id: string) => api.POST('/measurements/{id}/approve', { params: { path: { id } }, body: {} }),
    onSuccess: () => client.invalidateQueries(),
  })
  return (
    <>
      <h1>{t('measurements.title')}</h1>
      <p>{t('measurements.intro')}</p>
      {approve.isError && <Failure error={approve.error} />}
      {queue.isPending ? (
        <Loading />
      ) : queue.isError ? (
        <Failure error={queue.error} retry={queue.refetch} />
      ) : !queue.data.length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('measurements.period')}</th>
              <th scope="col">{t('partnership.value')}</th>
              <th scope="col">{t('partnership.note')}</th>
              <th scope="col">{t('overview.partnership')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('measurements.action')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {queue.data.map((m) => (
              <tr key={m.id}>
                <td className="nowrap">
                  {date(m.period_start)} – {date(m.period_end)}
                </td>
                <td>{number(m.value ?? 0)}</td>
                <td>{m.note}</td>
                <td>
                  <Link to={`/samverkan/${m.partnership_id}`}>{t('measurements.open')}</Link>
                </td>
                <td>
                  <button type="button" onClick={() => approve.mutate(m.id!)} disabled={approve.isPending}>
                    {t('measurements.approve')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
