import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router-dom'
import { api } from '../api/client'
import { useAuth } from '../auth-context'
import { useCodeList } from '../codes'
import { date, number, wholeUnits } from '../format'
import { Empty, Failure, Loading } from '../states'
import { OrganisationForm } from './OrganisationForm'
import { ReportView } from './Reports'

/** One organisation: who it is, its whole relation with the city, and its state-aid headroom. */
export default function OrganisationProfile() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const { me } = useAuth()
  const sectors = useCodeList('sectors')
  const legalForms = useCodeList('legal_forms')
  const [saved, setSaved] = useState(false)
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
        <dt>{t('organisations.legalForm')}</dt>
        <dd>{legalForms.label(o.legal_form!)}</dd>
        {o.website && (
          <>
            <dt>{t('organisations.website')}</dt>
            <dd>
              <a href={o.website}>{o.website}</a>
            </dd>
          </>
        )}
      </dl>
      {o.description && <p>{o.description}</p>}
      {me?.role !== 'viewer' && (
        <details>
          <summary>{t('organisations.edit')}</summary>
          <OrganisationForm organisation={o} key={o.version} onSaved={() => setSaved(true)} />
        </details>
      )}
      <p role="status">{saved && t('organisations.saved')}</p>
      <StateAid organisationId={id} />
      <ReportView name={`organisation/${id}`} query={{}} level={2} />
    </>
  )
}

/** How much de minimis aid the organisation has had in each rule's window, and how much room is left. */
function StateAid({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation()
  const aid = useQuery({
    queryKey: ['state-aid', organisationId],
    queryFn: async () => (await api.GET('/organisations/{id}/state-aid', { params: { path: { id: organisationId } } })).data!,
  })
  const euro = (cents?: number) => `${number(wholeUnits(cents ?? 0))} €`
  return (
    <section aria-labelledby="state-aid">
      <h2 id="state-aid">{t('organisations.stateAid')}</h2>
      {aid.isPending ? (
        <Loading />
      ) : aid.isError ? (
        <Failure error={aid.error} retry={aid.refetch} />
      ) : !aid.data.ceilings?.length ? (
        <Empty />
      ) : (
        <table>
          <caption>{t('organisations.stateAidCaption', { date: date(aid.data.as_of) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('organisations.rule')}</th>
              <th scope="col">{t('organisations.window')}</th>
              <th scope="col">{t('organisations.used')}</th>
              <th scope="col">{t('organisations.ceiling')}</th>
              <th scope="col">{t('organisations.headroom')}</th>
            </tr>
          </thead>
          <tbody>
            {aid.data.ceilings.map((c) => (
              <tr key={c.rule_id}>
                <th scope="row">{c.name}</th>
                <td className="nowrap">
                  {date(c.window_from)} – {date(c.window_to)}
                </td>
                <td>
                  {euro(c.sum_eur_cents)} {c.used_percent != null && <span className="muted">({number(c.used_percent)} %)</span>}
                </td>
                <td>{euro(c.ceiling_eur_cents)}</td>
                <td>
                  <strong>{euro(c.headroom_eur_cents)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
