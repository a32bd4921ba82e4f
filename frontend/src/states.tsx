import { useTranslation } from 'react-i18next'
import { Problem } from './api/client'

/** Loading, error and empty states, the same on every page. */
export function Loading() {
  const { t } = useTranslation()
  return <p role="status" className="muted">{t('common.loading')}</p>
}

export function Failure({ error, retry }: { error: unknown; retry?: () => Promise<unknown> }) {
  const { t, i18n } = useTranslation()
  const p = error instanceof Problem ? error : null
  // The API's detail is English: shown when there is no text of our own for
  // the problem, or to those who read English anyway.
  const known = !!p && i18n.exists(`problems.${p.code}`)
  return (
    <div role="alert" className="error">
      <strong>{p ? t(`problems.${p.code}`, { defaultValue: p.title }) : t('common.error')}</strong>
      {p?.detail && (!known || i18n.language === 'en') && <p>{p.detail}</p>}
      {retry && (
        <button type="button" onClick={() => void retry()}>
          {t('common.retry')}
        </button>
      )}
    </div>
  )
}

export function Empty() {
  const { t } = useTranslation()
  return <p className="muted">{t('common.empty')}</p>
}
