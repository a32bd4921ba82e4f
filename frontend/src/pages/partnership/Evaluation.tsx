import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, type Schemas } from '../../api/client'
import { evaluationRequestKindValues, lessonRequestCategoryValues, lessonRequestFactorsValues } from '../../api/schema'
import { useAuth } from '../../auth-context'
import { useCodeList } from '../../codes'
import { date } from '../../format'
import { AddForm, Checks, Field } from '../../form'
import { codeField, codeFields } from '../../fields'
import { Empty, Failure, Loading } from '../../states'

import type { TabProps } from './tab'

/** What was learned: evaluations with each party's own assessment, and the lessons drawn. */
export default function Evaluation({ partnership: p, canEdit, canReport }: TabProps) {
  const { t } = useTranslation()
  const kinds = useCodeList('evaluation_kinds')
  const categories = useCodeList('lesson_categories')
  const factors = useCodeList('lesson_factors')
  const evaluations = useQuery({
    queryKey: ['evaluations', p.id],
    queryFn: async () => (await api.GET('/partnerships/{id}/evaluations', { params: { path: { id: p.id! } } })).data?.items ?? [],
  })
  const lessons = useQuery({
    queryKey: ['lessons', p.id],
    queryFn: async () => (await api.GET('/lessons', { params: { query: { partnership: p.id } } })).data?.items ?? [],
  })
  const org = (id?: string) => p.parties?.find((x) => x.organisation_id === id)?.organisation_name ?? '–'
  return (
    <>
      <h2>{t('partnership.evaluations')}</h2>
      {evaluations.isPending ? (
        <Loading />
      ) : evaluations.isError ? (
        <Failure error={evaluations.error} retry={evaluations.refetch} />
      ) : !evaluations.data.length ? (
        <Empty />
      ) : (
        evaluations.data.map((e) => (
          <section key={e.id} className="indicator" aria-labelledby={`ev-${e.id}`}>
            <h3 id={`ev-${e.id}`}>
              {kinds.label(e.kind!)} {date(e.evaluated_on)}
              {e.evaluator && <span className="muted"> – {e.evaluator}</span>}
            </h3>
            {e.summary && <p>{e.summary}</p>}
            {e.findings && (
              <p>
                <strong>{t('partnership.findings')}:</strong> {e.findings}
              </p>
            )}
            {e.recommendations && (
              <p>
                <strong>{t('partnership.recommendations')}:</strong> {e.recommendations}
              </p>
            )}
            <h4>{t('partnership.assessments')}</h4>
            {!e.assessments?.length ? (
              <p className="muted">{t('partnership.noAssessments')}</p>
            ) : (
              <ul className="lessons">
                {e.assessments.map((a) => (
                  <li key={a.id}>
                    <strong>{org(a.organisation_id)}</strong>
                    {a.rating != null && <> · {t('partnership.rating', { rating: a.rating })}</>}
                    {a.dissent && <> · {t('partnership.dissent')}</>}
                    {a.text && <p>{a.text}</p>}
                  </li>
                ))}
              </ul>
            )}
            {canReport && <Assess evaluationId={e.id!} partnership={p} />}
          </section>
        ))
      )}
      {canEdit && (
        <AddForm
          title={t('partnership.addEvaluation')}
          partnershipId={p.id}
          refresh={[['evaluations', p.id]]}
          send={async (v) => {
            const body: Schemas['EvaluationRequest'] = {
              kind: codeField(v.kind, evaluationRequestKindValues),
              evaluated_on: v.evaluated_on,
              evaluator: v.evaluator,
              summary: v.summary,
              findings: v.findings,
              recommendations: v.recommendations,
            }
            return api.POST('/partnerships/{id}/evaluations', { params: { path: { id: p.id! } }, body })
          }}
        >
          {(err) => (
            <div className="stack wide">
              <Field id="ev-kind" label={t('partnership.evaluationKind')} error={err('kind')}>
                <select name="kind" key={kinds.entries.length}>
                  {kinds.entries.map((k) => (
                    <option key={k.code} value={k.code}>
                      {kinds.label(k.code!)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="ev-on" label={t('partnership.evaluatedOn')} error={err('evaluated_on')}>
                <input name="evaluated_on" type="date" />
              </Field>
              <Field id="ev-by" label={t('partnership.evaluator')} error={err('evaluator')}>
                <input name="evaluator" />
              </Field>
              <Field id="ev-summary" label={t('partnership.summary')} error={err('summary')}>
                <textarea name="summary" rows={3} />
              </Field>
              <Field id="ev-findings" label={t('partnership.findings')} error={err('findings')}>
                <textarea name="findings" rows={3} />
              </Field>
              <Field id="ev-recs" label={t('partnership.recommendations')} error={err('recommendations')}>
                <textarea name="recommendations" rows={3} />
              </Field>
            </div>
          )}
        </AddForm>
      )}

      <h2>{t('lessons.title')}</h2>
      {lessons.isPending ? (
        <Loading />
      ) : lessons.isError ? (
        <Failure error={lessons.error} retry={lessons.refetch} />
      ) : !lessons.data.length ? (
        <Empty />
      ) : (
        <ul className="lessons">
          {lessons.data.map((l) => (
            <li key={l.id}>
              <p>{l.text}</p>
              <p className="muted">
                {categories.label(l.category!)}
                {!!l.factors?.length && <> · {l.factors.map(factors.label).join(', ')}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <AddForm
          title={t('partnership.addLesson')}
          partnershipId={p.id}
          refresh={[['lessons', p.id]]}
          send={async (v, form) => {
            const body: Schemas['LessonRequest'] = {
              text: v.text ?? '',
              category: codeField(v.category, lessonRequestCategoryValues),
              evaluation_id: v.evaluation_id,
              factors: codeFields(form.getAll('factors').map(String), lessonRequestFactorsValues),
            }
            return api.POST('/partnerships/{id}/lessons', { params: { path: { id: p.id! } }, body })
          }}
        >
          {(err) => (
            <div className="stack wide">
              <Field id="ls-text" label={t('partnership.lesson')} error={err('text')}>
                <textarea name="text" rows={3} />
              </Field>
              <Field id="ls-category" label={t('partnership.category')} error={err('category')}>
                <select name="category" key={categories.entries.length}>
                  {categories.entries.map((k) => (
                    <option key={k.code} value={k.code}>
                      {categories.label(k.code!)}
                    </option>
                  ))}
                </select>
              </Field>
              <Checks legend={t('lessons.factor')} name="factors" options={factors.entries.map((f) => [f.code!, factors.label(f.code!)])} error={err('factors')} />
              {!!evaluations.data?.length && (
                <Field id="ls-ev" label={t('partnership.fromEvaluation')} error={err('evaluation_id')}>
                  <select name="evaluation_id" defaultValue="">
                    <option value="">{t('common.none')}</option>
                    {evaluations.data.map((e) => (
                      <option key={e.id} value={e.id}>
                        {kinds.label(e.kind!)} {date(e.evaluated_on)}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
            </div>
          )}
        </AddForm>
      )}
    </>
  )
}

/** A party's own assessment of an evaluation: a reporter gives their organisation's, staff pick the party. */
function Assess({ evaluationId, partnership: p }: { evaluationId: string; partnership: Schemas['PartnershipDetail'] }) {
  const { t } = useTranslation()
  const { me } = useAuth()
  const own = me?.role === 'reporter'
  return (
    <AddForm
      title={t('partnership.assess')}
      action={t('partnership.send')}
      done={t('partnership.assessed')}
      partnershipId={p.id}
      refresh={[['evaluations', p.id]]}
      send={async (v) =>
        api.POST('/evaluations/{id}/assessments', {
          params: { path: { id: evaluationId } },
          body: {
            organisation_id: own ? (me?.organisation_id ?? '') : v.organisation_id,
            rating: v.rating ? Number(v.rating) : undefined,
            text: v.text,
            dissent: v.dissent === 'on',
          },
        })
      }
    >
      {(err) => (
        <div className="stack wide">
          {!own && (
            <Field id={`as-${evaluationId}-org`} label={t('partnership.organisation')} error={err('organisation_id')}>
              <select name="organisation_id">
                {p.parties?.map((x) => (
                  <option key={x.id} value={x.organisation_id}>
                    {x.organisation_name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <Field id={`as-${evaluationId}-rating`} label={t('partnership.ratingLabel')} error={err('rating')}>
            <select name="rating" defaultValue="">
              <option value="">–</option>
              {[1, 2, 3, 4, 5].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </Field>
          <Field id={`as-${evaluationId}-text`} label={t('partnership.ownAssessment')} error={err('text')}>
            <textarea name="text" rows={3} />
          </Field>
          <label className="check">
            <input type="checkbox" name="dissent" /> {t('partnership.dissentLabel')}
          </label>
        </div>
      )}
    </AddForm>
  )
}
