import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../api/client'
import { exchangeRateRequestCurrencyValues } from '../api/schema'
import { AddForm, Field } from '../form'
import { codeField, kronorField } from '../fields'
import { date, minorUnitsText, number, wholeUnits } from '../format'
import { Empty, Failure, Loading } from '../states'

/** The lists administrators extend: target groups and policy goals. */
export function CodeLists() {
  const { t, i18n } = useTranslation()
  const [list, setList] = useState<'target_groups' | 'policy_goals'>('target_groups')
  const entries = useQuery({
    queryKey: ['code-list', list],
    queryFn: async () => (await api.GET('/code-lists/{list}', { params: { path: { list } } })).data?.items ?? [],
  })
  const refresh = [['code-list', list], ['code-lists']]
  return (
    <section aria-labelledby="a-codes">
      <h2 id="a-codes">{t('admin.codeLists')}</h2>
      <p>{t('admin.codeListsIntro')}</p>
      <label htmlFor="cl-list">{t('admin.list')}</label>
      <select id="cl-list" value={list} onChange={(e) => setList(e.target.value as typeof list)}>
        <option value="target_groups">{t('partnership.targetGroups')}</option>
        <option value="policy_goals">{t('partnership.policyGoals')}</option>
      </select>
      {entries.isPending ? (
        <Loading />
      ) : entries.isError ? (
        <Failure error={entries.error} retry={entries.refetch} />
      ) : (
        <>
          <div className="scroll" tabIndex={0} role="region" aria-label={t('admin.codeLists')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('admin.code')}</th>
                  <th scope="col">{t('admin.labelSv')}</th>
                  <th scope="col">{t('admin.labelEn')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.data.map((e) => (
                  <tr key={e.code}>
                    <td>
                      <code>{e.code}</code>
                    </td>
                    <td lang="sv">{e.label_sv}</td>
                    <td lang="en">{e.label_en}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <AddForm
            title={t('admin.addEntry')}
            refresh={refresh}
            send={async (v) => {
              const body: Schemas['NewCodeListEntry'] = { code: v.code ?? '', label_sv: v.label_sv ?? '', label_en: v.label_en ?? '' }
              return api.POST('/code-lists/{list}/entries', { params: { path: { list } }, body })
            }}
          >
            {(err) => (
              <>
                <Field id="cl-code" label={t('admin.code')} error={err('code')} hint={t('admin.codeHint')}>
                  <input name="code" />
                </Field>
                <Field id="cl-sv" label={t('admin.labelSv')} error={err('label_sv')}>
                  <input name="label_sv" />
                </Field>
                <Field id="cl-en" label={t('admin.labelEn')} error={err('label_en')}>
                  <input name="label_en" />
                </Field>
              </>
            )}
          </AddForm>
          <AddForm
            title={t('admin.relabel')}
            action={t('edit.save')}
            refresh={refresh}
            send={async (v) => {
              const e = entries.data.find((x) => x.code === v.code)
              return api.PATCH('/code-lists/{list}/entries/{code}', {
                params: { path: { list, code: v.code ?? '' }, header: { 'If-Match': `"${e?.version ?? 0}"` } },
                body: { label_sv: v.label_sv, label_en: v.label_en },
              })
            }}
          >
            {(err) => (
              <>
                <Field id="rl-code" label={t('admin.entry')} error={err('code')}>
                  <select name="code" key={list}>
                    {entries.data.map((e) => (
                      <option key={e.code} value={e.code}>
                        {i18n.language === 'en' ? e.label_en : e.label_sv}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field id="rl-sv" label={t('admin.labelSv')} error={err('label_sv')}>
                  <input name="label_sv" />
                </Field>
                <Field id="rl-en" label={t('admin.labelEn')} error={err('label_en')}>
                  <input name="label_en" />
                </Field>
              </>
            )}
          </AddForm>
        </>
      )}
    </section>
  )
}

/**
 * Yearly exchange rates, which turn euro ceilings and foreign grants into
 * kronor: shown to a tenant's staff, set by the platform operator (the same
 * for every tenant), who is given the form without the list (`set`).
 */
export function ExchangeRates({ set = false }: { set?: boolean }) {
  const { t } = useTranslation()
  const rates = useQuery({ queryKey: ['exchange-rates'], queryFn: async () => (await api.GET('/exchange-rates')).data?.items ?? [], enabled: !set })
  return (
    <section aria-labelledby="a-rates">
      <h2 id="a-rates">{t('admin.rates')}</h2>
      {set ? null : rates.isPending ? (
        <Loading />
      ) : rates.isError ? (
        <Failure error={rates.error} retry={rates.refetch} />
      ) : !rates.data.length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('overview.year')}</th>
              <th scope="col">{t('admin.currency')}</th>
              <th scope="col">{t('admin.sekPerUnit')}</th>
              <th scope="col">{t('admin.source')}</th>
            </tr>
          </thead>
          <tbody>
            {rates.data.map((r) => (
              <tr key={`${r.year}-${r.currency}`}>
                <td>{r.year}</td>
                <td>{r.currency}</td>
                <td>{number(Number(r.sek_per_unit))}</td>
                <td>{r.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!set && <p className="muted">{t('admin.platformSets')}</p>}
      {set && (
        <AddForm
          title={t('admin.setRate')}
          action={t('edit.save')}
          refresh={[['exchange-rates']]}
          send={async (v) => {
            // The select offers more currencies than the contract: the API refuses them at the field.
            const body: Schemas['ExchangeRateRequest'] = {
              year: Number(v.year),
              currency: codeField(v.currency ?? 'EUR', exchangeRateRequestCurrencyValues),
              sek_per_unit: (v.sek_per_unit ?? '').replace(',', '.'),
              source: v.source,
            }
            return api.POST('/exchange-rates', { body })
          }}
        >
          {(err) => (
            <>
              <Field id="xr-year" label={t('overview.year')} error={err('year')}>
                <input name="year" type="number" defaultValue={new Date().getFullYear()} />
              </Field>
              <Field id="xr-cur" label={t('admin.currency')} error={err('currency')}>
                <select name="currency" defaultValue="EUR">
                  <option>EUR</option>
                  <option>NOK</option>
                  <option>DKK</option>
                  <option>USD</option>
                </select>
              </Field>
              <Field id="xr-rate" label={t('admin.sekPerUnit')} error={err('sek_per_unit')}>
                <input name="sek_per_unit" inputMode="decimal" />
              </Field>
              <Field id="xr-src" label={t('admin.source')} error={err('source')}>
                <input name="source" placeholder="Riksbanken" />
              </Field>
            </>
          )}
        </AddForm>
      )}
    </section>
  )
}

/**
 * The funding rules as dated data: ceilings, their windows, when to warn and
 * whether to block. Law, the same for every tenant: the platform operator
 * changes them (`editable`), a tenant's staff read them.
 */
export function Rules({ editable = false }: { editable?: boolean }) {
  const { t } = useTranslation()
  const rules = useQuery({ queryKey: ['rules'], queryFn: async () => (await api.GET('/rules')).data?.items ?? [] })
  return (
    <section aria-labelledby="a-rules">
      <h2 id="a-rules">{t('admin.rules')}</h2>
      <p>{t('admin.rulesIntro')}</p>
      {!editable && <p className="muted">{t('admin.platformSets')}</p>}
      {rules.isPending ? (
        <Loading />
      ) : rules.isError ? (
        <Failure error={rules.error} retry={rules.refetch} />
      ) : !rules.data.length ? (
        <Empty />
      ) : (
        rules.data.map((r) => (
          <section key={r.id} className="indicator" aria-labelledby={`rule-${r.id}`}>
            <h3 id={`rule-${r.id}`}>{r.name}</h3>
            <p>
              {t('admin.ceiling', { amount: number(wholeUnits(r.amount_cents ?? 0)), currency: r.currency })} ·{' '}
              {r.window_kind === 'none' ? t('admin.window_none') : t(`admin.window_${r.window_kind}`, { years: r.window_years })} · {t('admin.warnAt', { percent: r.warn_at_percent })} ·{' '}
              {r.block ? t('admin.blocks') : t('admin.warnsOnly')}
            </p>
            <p className="muted">
              {t('admin.effective', { from: date(r.effective_from), to: r.effective_to ? date(r.effective_to) : t('admin.untilFurther') })}
              {r.legal_basis && <> · {r.legal_basis}</>}
            </p>
            {editable && (
              <AddForm
                title={t('admin.changeRule')}
                action={t('edit.save')}
                refresh={[['rules']]}
                send={async (v) =>
                  api.PATCH('/rules/{id}', {
                    params: { path: { id: r.id! }, header: { 'If-Match': `"${r.version}"` } },
                    body: {
                      amount_cents: kronorField(v.amount, 'amount_cents', t('admin.notAmount')),
                      warn_at_percent: Number(v.warn_at_percent),
                      block: v.block === 'on',
                      effective_to: v.effective_to,
                    },
                  })
                }
              >
                {(err) => (
                  <>
                    <Field id={`r-${r.id}-amount`} label={t('admin.ceilingLabel', { currency: r.currency })} error={err('amount_cents')}>
                      <input name="amount" inputMode="decimal" defaultValue={minorUnitsText(r.amount_cents ?? 0)} />
                    </Field>
                    <Field id={`r-${r.id}-warn`} label={t('admin.warnAtLabel')} error={err('warn_at_percent')}>
                      <input name="warn_at_percent" type="number" min={1} max={100} defaultValue={r.warn_at_percent} />
                    </Field>
                    <Field id={`r-${r.id}-to`} label={t('admin.effectiveTo')} error={err('effective_to')}>
                      <input name="effective_to" type="date" defaultValue={r.effective_to} />
                    </Field>
                    <label className="check">
                      <input type="checkbox" name="block" defaultChecked={r.block} /> {t('admin.blockLabel')}
                    </label>
                  </>
                )}
              </AddForm>
            )}
          </section>
        ))
      )}
    </section>
  )
}
