import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Problem } from '../api/client'
import { useAuth } from '../auth-context'
import { field } from '../fields'

export default function SignIn() {
  const { t } = useTranslation()
  const { signIn } = useAuth()
  const [error, setError] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    setBusy(true)
    setError(null)
    try {
      await signIn(field(form, 'email'), field(form, 'password'))
    } catch (err) {
      setError(err instanceof Problem ? err : new Problem(0, t('common.error'), ''))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="narrow">
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="email">{t('signIn.email')}</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        <label htmlFor="password">{t('signIn.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {error && (
          <div role="alert" className="error">
            {t(`problems.${error.code}`, { defaultValue: error.detail || error.title })}
          </div>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
    </section>
  )
}
