import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router-dom'
import { api } from '../api/client'
import { useCodeList } from '../codes'
import { Failure, Loading } from '../states'
import { ReportView } from './Reports'

/** One organisation: who it is, and its whole relation with the city. */
export default function OrganisationProfile() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const sectors = useCodeList('sectors')
  const org = useQuery({
    queryKey: ['organisation', id],
    queryFn: async () => (await api.GET('/organisations/{id}', { params: { path: { id } } })).data!,
  })
  if (org.isPending) return <Loading />
  if (org.isError) return <Failure error={org.error} retry={org.refetch} />
  const o = org.data
  return (
    <>
      <p>
        <Link to="/organisationer">← {t('organisations.title')}</Link>
      </p>
      <h1>{o.name}</h1>
      <dl className="facts">
        <dt>{t('organisations.orgNumber')}</dt>
        <dd>{o.org_number || '–'}</dd>
        <dt>{t('organisations.sector')}</dt>
        <dd>{sectors.label(o.sector!)}</dd>
      </dl>
      {o.description && <p>{o.description}</p>}
      <ReportView name={`organisation/${id}`} query={{}} level={2} />
    </>
  )
}
