import { useTranslation } from 'react-i18next'
import { Link } from 'react-router-dom'
import { useCodeList, useDistricts } from '../../codes'
import { date, period } from '../../format'
import { Empty } from '../../states'
import { ChangeStatus, EditPartnership, Extend } from '../PartnershipEdit'
import type { TabProps } from './tab'

/** What the partnership is: purpose, form, status over time, place on the participation matrix. */
export default function Overview({ partnership: p, canEdit }: TabProps) {
  const { t } = useTranslation()
  const forms = useCodeList('forms')
  const groups = useCodeList('target_groups')
  const goals = useCodeList('policy_goals')
  const principles = useCodeList('principles')
  const districts = useDistricts()
  const names = (codes: string[] | undefined, label: (c: string) => string) => (codes?.length ? codes.map(label).join(', ') : '–')
  return (
    <>
      <h2 className="visually-hidden">{t('partnership.tab.oversikt')}</h2>
      <Warnings warnings={p.warnings} />
      <dl className="facts">
        <dt>{t('partnerships.form')}</dt>
        <dd>{forms.label(p.form!)}</dd>
        <dt>{t('partnerships.status')}</dt>
        <dd>{t(`status.${p.status}`)}</dd>
        <dt>{t('partnerships.period')}</dt>
        <dd>{period(p.start_date, p.end_date)}</dd>
        {p.diarienummer && (
          <>
            <dt>{t('partnership.diarienummer')}</dt>
            <dd>{p.diarienummer}</dd>
          </>
        )}
        <dt>{t('partnership.districts')}</dt>
        <dd>{p.district_ids?.length ? p.district_ids.map((d) => districts.find((x) => x.id === d)?.name ?? d).join(', ') : t('partnership.citywide')}</dd>
        <dt>{t('partnership.targetGroups')}</dt>
        <dd>{names(p.target_groups, groups.label)}</dd>
        <dt>{t('partnership.policyGoals')}</dt>
        <dd>{names(p.policy_goals, goals.label)}</dd>
        {p.predecessor_id && (
          <>
            <dt>{t('partnership.predecessor')}</dt>
            <dd>
              <Link to={`/samverkan/${p.predecessor_id}`}>{t('partnership.previousPeriod')}</Link>
            </dd>
          </>
        )}
        {!!p.successor_ids?.length && (
          <>
            <dt>{t('partnership.successors')}</dt>
            <dd>
              {p.successor_ids.map((s, i) => (
                <Link key={s} to={`/samverkan/${s}`}>
                  {t('partnership.nextPeriod', { n: i + 1 })}
                </Link>
              ))}
            </dd>
          </>
        )}
      </dl>
      {p.purpose && <p>{p.purpose}</p>}
      {canEdit && <EditPartnership partnership={p} key={p.version} />}
      {canEdit && <ChangeStatus partnershipId={p.id!} allowed={p.allowed_transitions ?? []} />}
      {canEdit && <Extend partnershipId={p.id!} />}

      <h3>{t('partnership.statusTimeline')}</h3>
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

      <h3>{t('partnership.matrix')}</h3>
      <Matrix level={p.participation_level} step={p.decision_step} />

      <h3>{t('partnership.principles')}</h3>
      {!Object.keys(p.principles ?? {}).length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('partnership.principle')}</th>
              <th scope="col">{t('partnership.score')}</th>
              <th scope="col">{t('partnership.note')}</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(p.principles ?? {}).map(([code, a]) => (
              <tr key={code}>
                <th scope="row">{principles.label(code)}</th>
                <td>{a.score} / 5</td>
                <td>{a.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

/** Where the partnership sits: how much say civil society has, at which step of the decision. */
function Matrix({ level, step }: { level?: string; step?: string }) {
  const { t } = useTranslation()
  const levels = useCodeList('participation_levels')
  const steps = useCodeList('decision_steps')
  if (!level && !step) return <p className="muted">{t('partnership.matrixUnset')}</p>
  return (
    <div className="scroll">
      <table className="matrix">
        <caption>{t('partnership.matrixCaption')}</caption>
        <thead>
          <tr>
            <td />
            {steps.entries.map((s) => (
              <th scope="col" key={s.code}>
                {steps.label(s.code!)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...levels.entries].reverse().map((l) => (
            <tr key={l.code}>
              <th scope="row" className={!step && l.code === level ? 'here' : undefined}>
                {levels.label(l.code!)}
                {!step && l.code === level && <> ● {t('partnership.here')}</>}
              </th>
              {steps.entries.map((s) => {
                const here = l.code === level && s.code === step
                return (
                  <td key={s.code} className={here ? 'here' : undefined}>
                    {here && <span>● {t('partnership.here')}</span>}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The API's warnings about the partnership (double funding, state aid), in plain words. */
export function Warnings({ warnings }: { warnings?: { code?: string; message?: string }[] }) {
  const { t } = useTranslation()
  if (!warnings?.length) return null
  return (
    <div className="secret" role="note">
      <strong>{t('partnership.warnings')}</strong>
      <ul>
        {warnings.map((w, i) => (
          <li key={i}>{t(`warnings.${w.code}`, { defaultValue: w.message })}</li>
        ))}
      </ul>
    </div>
  )
}
