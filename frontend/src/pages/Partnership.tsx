import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router-dom'
import { api, type Schemas } from '../api/client'
import { useAuth } from '../auth'
import { useCodeList } from '../codes'
import { date, kronor, number, period } from '../format'
import { Field } from '../form'
import { Empty, Failure, Loading } from '../states'
import { AddForm, AddFunding, AddIndicator, AddParty, ChangeStatus, EditPartnership, Extend } from './PartnershipEdit'

/** One partnership: what it is, who takes part, the money, and its indicators. */
export default function Partnership() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const { me } = useAuth()
  const { label } = useCodeList('forms')
  const detail = useQuery({
    queryKey: ['partnership', id],
    queryFn: async () => (await api.GET('/partnerships/{id}', { params: { path: { id } } })).data!,
  })
  if (detail.isPending) return <Loading />
  if (detail.isError) return <Failure error={detail.error} retry={detail.refetch} />
  const p = detail.data
  const canReport = me?.role !== 'viewer'
  const canEdit = canReport && me?.role !== 'reporter'
  return (
    <>
      <p>
        <Link to="/samverkan">← {t('partnerships.title')}</Link>
      </p>
      <h1>{p.title}</h1>
      <dl className="facts">
        <dt>{t('partnerships.reference')}</dt>
        <dd>{p.reference}</dd>
        <dt>{t('partnerships.form')}</dt>
        <dd>{label(p.form!)}</dd>
        <dt>{t('partnerships.status')}</dt>
        <dd>{t(`status.${p.status}`)}</dd>
        <dt>{t('partnerships.period')}</dt>
        <dd>
          {period(p.start_date, p.end_date)}
        </dd>
      </dl>
      {p.purpose && <p>{p.purpose}</p>}
      {canEdit && <EditPartnership partnership={p} key={p.version} />}
      {canEdit && <ChangeStatus partnershipId={id} allowed={p.allowed_transitions ?? []} />}
      {canEdit && <Extend partnershipId={id} />}

      <h2>{t('partnership.parties')}</h2>
      {!p.parties?.length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('partnership.organisation')}</th>
              <th scope="col">{t('partnership.role')}</th>
              <th scope="col">{t('partnership.joined')}</th>
            </tr>
          </thead>
          <tbody>
            {p.parties.map((x) => (
              <tr key={x.id}>
                <td>{x.organisation_name}</td>
                <td>{t(`roles.${x.role}`, { defaultValue: x.role })}</td>
                <td>{date(x.joined_on)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {canEdit && <AddParty partnershipId={id} />}

      {p.funding && (
        <>
          <h2>{t('partnership.funding')}</h2>
          <dl className="figures">
            <div>
              <dt>{t('partnership.granted')}</dt>
              <dd>{kronor(p.funding.granted_ore ?? 0)}</dd>
            </div>
            <div>
              <dt>{t('partnership.disbursed')}</dt>
              <dd>{kronor(p.funding.disbursed_ore ?? 0)}</dd>
            </div>
            <div>
              <dt>{t('partnership.inKind')}</dt>
              <dd>{kronor(p.funding.in_kind_ore ?? 0)}</dd>
            </div>
          </dl>
        </>
      )}

      {canEdit && <AddFunding partnershipId={id} parties={p.parties ?? []} />}

      {!!p.ledger?.length && (
        <>
          <h2>{t('partnership.ledger')}</h2>
          <table>
            <caption>{t('partnership.ledgerCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('partnership.organisation')}</th>
                <th scope="col">{t('partnership.committed')}</th>
                <th scope="col">{t('partnership.delivered')}</th>
                <th scope="col">{t('partnership.inKind')}</th>
                <th scope="col">{t('partnership.share')}</th>
              </tr>
            </thead>
            <tbody>
              {p.ledger.map((l) => (
                <tr key={l.party_id}>
                  <td>{l.organisation_name}</td>
                  <td>{kronor(l.committed_valuation_ore ?? 0)}</td>
                  <td>{kronor(l.delivered_valuation_ore ?? 0)}</td>
                  <td>{kronor(l.in_kind_valuation_ore ?? 0)}</td>
                  <td>{l.share_percent != null ? `${number(l.share_percent)} %` : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2>{t('partnership.indicators')}</h2>
      {!p.indicators?.length ? (
        <Empty />
      ) : (
        p.indicators.map((i) => <Indicator key={i.indicator_id} partnershipId={id} indicator={i} canReport={canReport} />)
      )}
      {canEdit && <AddIndicator partnershipId={id} />}

      <h2>{t('partnership.history')}</h2>
      {!p.status_history?.length ? (
        <Empty />
      ) : (
        <ol className="history">
          {p.status_history.map((h, i) => (
            <li key={i}>
              {date(h.on)}: {h.from ? `${t(`status.${h.from}`)} → ` : ''}
              {t(`status.${h.to}`)}
              {h.reason && <span className="muted"> – {h.reason}</span>}
            </li>
          ))}
        </ol>
      )}
    </>
  )
}

function Indicator({ partnershipId, indicator: i, canReport }: { partnershipId: string; indicator: Schemas['IndicatorSummary']; canReport: boolean }) {
  const { t } = useTranslation()
  const pct = i.attainment_percent
  return (
    <section className="indicator" aria-labelledby={'ind-' + i.indicator_id}>
      <h3 id={'ind-' + i.indicator_id}>
        {i.name} <span className="muted">({i.unit})</span>
      </h3>
      <p>
        {t('partnership.actual')}: <strong>{i.actual != null ? number(i.actual) : '–'}</strong> {t('partnership.ofTarget')}{' '}
        <strong>{i.target != null ? number(i.target) : '–'}</strong>
        {pct != null && <> ({number(pct)} %)</>}
        {!!i.pending_measurements && <> · {t('partnership.pending', { count: i.pending_measurements })}</>}
      </p>
      {pct != null && (
        <div className="meter" role="img" aria-label={`${number(pct)} %`}>
          <span style={{ width: `${Math.min(pct, 100)}%` }} />
        </div>
      )}
      {canReport && <Report partnershipId={partnershipId} indicatorId={i.indicator_id!} />}
    </section>
  )
}

/** The short form an organisation fills in to report an outcome. */
function Report({ partnershipId, indicatorId }: { partnershipId: string; indicatorId: string }) {
  const { t } = useTranslation()
  const id = (field: string) => `m-${indicatorId}-${field}`
  return (
    <AddForm
      title={t('partnership.report')}
      action={t('partnership.send')}
      done={t('partnership.sent')}
      partnershipId={partnershipId}
      send={async (v) =>
        api.POST('/indicators/{id}/measurements', { params: { path: { id: indicatorId } }, body: { ...v, value: Number(v.value) } as Schemas['MeasurementRequest'] })
      }
    >
      {(err) => (
        <>
          {(['period_start', 'period_end'] as const).map((k) => (
            <Field key={k} id={id(k)} label={t(`partnership.${k}`)} error={err(k)}>
              <input name={k} type="date" required />
            </Field>
          ))}
          <Field id={id('value')} label={t('partnership.value')} error={err('value')}>
            <input name="value" type="number" step="any" required />
          </Field>
          <Field id={id('note')} label={t('partnership.note')} error={err('note')}>
            <input name="note" />
          </Field>
        </>
      )}
    </AddForm>
  )
}
