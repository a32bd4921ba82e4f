import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../api/client'
import { useCodeList } from '../codes'
import { date } from '../format'
import { Empty, Failure, Loading } from '../states'
import { ReportView } from './Reports'

/** Funding sources, and the state-aid overview with its warnings. */
export default function Funding() {
  const { t } = useTranslation()
  const kinds = useCodeList('source_kinds')
  const sources = useQuery({ queryKey: ['funding-sources'], queryFn: async () => (await api.GET('/funding-sources')).data?.items ?? [] })
  return (
    <>
      <h1>{t('funding.title')}</h1>
      <h2>{t('funding.sources')}</h2>
      {sources.isPending ? (
        <Loading />
      ) : sources.isError ? (
        <Failure error={sources.error} retry={sources.refetch} />
      ) : !sources.data.length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('funding.source')}</th>
              <th scope="col">{t('funding.kind')}</th>
              <th scope="col">{t('funding.programme')}</th>
              <th scope="col">{t('partnerships.period')}</th>
            </tr>
          </thead>
          <tbody>
            {sources.data.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{kinds.label(s.kind!)}</td>
                <td>{s.programme}</td>
                <td className="nowrap">
                  {date(s.valid_from)} – {date(s.valid_to)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('funding.stateAid')}</h2>
      <p>{t('funding.stateAidIntro')}</p>
      <ReportView name="state-aid" query={{ include_ok: 'true' }} />
    </>
  )
}
