import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { Link, useSearchParams } from 'react-router-dom'
import { api } from '../api/client'
import { useCodeList } from '../codes'
import { date, kronor, period } from '../format'
import { pathsAllocationsGetParametersQueryStatusValues } from '../api/schema'
import { codeField, values } from '../fields'
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
                <td className="nowrap">{period(s.valid_from, s.valid_to)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Allocations />
      <DoubleFunding />
      <h2>{t('funding.stateAid')}</h2>
      <p>{t('funding.stateAidIntro')}</p>
      <ReportView name="state-aid" query={{ include_ok: 'true' }} />
    </>
  )
}

/** Every allocation, filtered by year and status in the address, with links to their partnerships. */
function Allocations() {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const year = params.get('year') ?? ''
  const status = params.get('status') ?? ''
  const statuses = useCodeList('allocation_statuses')
  const sources = useQuery({ queryKey: ['funding-sources'], queryFn: async () => (await api.GET('/funding-sources')).data?.items ?? [] })
  const list = useQuery({
    queryKey: ['allocations', 'all', year, status],
    queryFn: async () => (await api.GET('/allocations', { params: { query: { fiscal_year: year ? Number(year) : undefined, status: codeField(status || undefined, pathsAllocationsGetParametersQueryStatusValues) } } })).data!,
  })
  const source = (id?: string) => sources.data?.find((s) => s.id === id)?.name ?? '–'
  return (
    <section aria-labelledby="allocations">
      <h2 id="allocations">{t('funding.allocations')}</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault()
          const v = values(e.currentTarget)
          setParams(v)
        }}
      >
        <label htmlFor="a-year">{t('edit.fiscalYear')}</label>
        <input id="a-year" name="year" type="number" min="1990" max="2100" defaultValue={year} />
        <label htmlFor="a-status">{t('partnerships.status')}</label>
        <select id="a-status" name="status" defaultValue={status} key={statuses.entries.length}>
          <option value="">{t('common.all')}</option>
          {statuses.entries.map((s) => (
            <option key={s.code} value={s.code}>
              {statuses.label(s.code!)}
            </option>
          ))}
        </select>
        <button type="submit">{t('common.filter')}</button>
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <Failure error={list.error} retry={list.refetch} />
      ) : !list.data.items?.length ? (
        <Empty />
      ) : (
        <div className="scroll" tabIndex={0} role="region" aria-label={t('funding.allocations')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('funding.source')}</th>
                <th scope="col">{t('edit.fiscalYear')}</th>
                <th scope="col">{t('partnerships.status')}</th>
                <th scope="col">{t('partnership.granted')}</th>
                <th scope="col">{t('partnership.disbursed')}</th>
                <th scope="col">{t('edit.decided')}</th>
                <th scope="col">{t('overview.partnership')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((a) => (
                <tr key={a.id}>
                  <td>{source(a.source_id)}</td>
                  <td>{a.fiscal_year}</td>
                  <td>{statuses.label(a.status!)}</td>
                  <td className="nowrap">{kronor(a.granted_ore ?? 0)}</td>
                  <td className="nowrap">{kronor(a.disbursed_ore ?? 0)}</td>
                  <td className="nowrap">{date(a.decision_date)}</td>
                  <td>{a.partnership_id ? <Link to={`/samverkan/${a.partnership_id}?flik=finansiering`}>{t('funding.open')}</Link> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** One organisation funded from several sources for the same period and target group, through different partnerships. */
function DoubleFunding() {
  const { t } = useTranslation()
  const q = useQuery({ queryKey: ['funding-warnings'], queryFn: async () => (await api.GET('/funding/warnings')).data?.double_funding ?? [] })
  return (
    <section aria-labelledby="double-funding">
      <h2 id="double-funding">{t('funding.warnings')}</h2>
      <p>{t('funding.warningsIntro')}</p>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <Failure error={q.error} retry={q.refetch} />
      ) : !q.data.length ? (
        <p className="muted">{t('funding.noWarnings')}</p>
      ) : (
        <ul className="lessons">
          {q.data.map((w, i) => (
            <li key={i}>
              <strong>
                <Link to={`/organisationer/${w.organisation_id}`}>{w.organisation_name}</Link>
              </strong>{' '}
              {period(w.from, w.to)}
              <p>{t('funding.doubleFunding', { sources: w.source_names?.join(', '), count: w.partnership_ids?.length ?? 0 })}</p>
              <p className="muted">
                {w.partnership_ids?.map((id, n) => (
                  <span key={id}>
                    {n > 0 && ', '}
                    <Link to={`/samverkan/${id}?flik=finansiering`}>{t('funding.partnershipN', { n: n + 1 })}</Link>
                  </span>
                ))}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
