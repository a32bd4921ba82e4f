import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useParams, useSearchParams } from 'react-router-dom'
import { api } from '../api/client'
import { useAuth } from '../auth-context'
import { Failure, Loading } from '../states'
import Documents from './partnership/Documents'
import Evaluation from './partnership/Evaluation'
import Funding from './partnership/Funding'
import History from './partnership/History'
import Indicators from './partnership/Indicators'
import Overview from './partnership/Overview'
import Parties from './partnership/Parties'
import type { TabProps } from './partnership/tab'

// The tabs, by the name they have in the address (?flik=…).
const tabs: Record<string, (p: TabProps) => React.ReactNode> = {
  oversikt: Overview,
  parter: Parties,
  finansiering: Funding,
  indikatorer: Indicators,
  utvardering: Evaluation,
  dokument: Documents,
  historik: History,
}

/** One partnership, in tabs held in the address so each can be linked to. */
export default function Partnership() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const [params] = useSearchParams()
  const { me } = useAuth()
  const detail = useQuery({
    queryKey: ['partnership', id],
    queryFn: async () => (await api.GET('/partnerships/{id}', { params: { path: { id } } })).data!,
  })
  if (detail.isPending) return <Loading />
  if (detail.isError) return <Failure error={detail.error} retry={detail.refetch} />
  const p = detail.data
  const tab = params.get('flik') && tabs[params.get('flik')!] ? params.get('flik')! : 'oversikt'
  const Tab = tabs[tab]
  const canReport = me?.role !== 'viewer'
  const canEdit = canReport && me?.role !== 'reporter'
  return (
    <>
      <p>
        <Link to="/samverkan">← {t('partnerships.title')}</Link>
      </p>
      <h1>
        {p.title} <span className="muted">{p.reference}</span>
      </h1>
      <nav aria-label={t('partnership.sections')} className="tabs">
        {Object.keys(tabs).map((k) => (
          <Link key={k} to={`?flik=${k}`} aria-current={k === tab ? 'page' : undefined} replace>
            {t(`partnership.tab.${k}`)}
          </Link>
        ))}
      </nav>
      <Tab partnership={p} canEdit={canEdit} canReport={canReport} />
    </>
  )
}
