import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { upload, type Schemas } from '../api/client'
import { field } from '../fields'
import { Failure } from '../states'

const types = ['organisations', 'partnerships', 'allocations', 'measurements'] as const

/** Upload a CSV or Excel file: a dry run first, then for real; progress shown while it goes. */
export default function Import() {
  const { t } = useTranslation()
  const [progress, setProgress] = useState<number | null>(null)
  const [working, setWorking] = useState(false)
  const [result, setResult] = useState<Schemas['ImportResult'] | null>(null)
  const [error, setError] = useState<unknown>(null)

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const dry = (e.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'dry'
    const body = new FormData()
    body.set('file', form.get('file') as File)
    setResult(null)
    setError(null)
    setProgress(0)
    setWorking(true)
    try {
      setResult(await upload<Schemas['ImportResult']>(`/api/v1/imports?type=${encodeURIComponent(field(form, 'type'))}&dry_run=${dry}`, body, setProgress, (status, json) => status === 422 && json.rows !== undefined))
    } catch (err) {
      setError(err)
    } finally {
      setWorking(false)
      setProgress(null)
    }
  }

  return (
    <section className="narrow">
      <h1>{t('import.title')}</h1>
      <p>{t('import.intro')}</p>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label htmlFor="imp-type">{t('import.type')}</label>
        <select id="imp-type" name="type">
          {types.map((x) => (
            <option key={x} value={x}>
              {t(`import.types.${x}`)}
            </option>
          ))}
        </select>
        <label htmlFor="imp-file">{t('import.file')}</label>
        <input id="imp-file" name="file" type="file" accept=".csv,.xlsx" required />
        <button type="submit" value="dry" disabled={working}>
          {t('import.dryRun')}
        </button>{' '}
        <button type="submit" value="real" disabled={working}>
          {t('import.run')}
        </button>
      </form>
      {working && (
        <p role="status">
          <label htmlFor="imp-progress">{progress != null && progress < 1 ? t('import.uploading') : t('import.working')}</label>{' '}
          <progress id="imp-progress" max={1} value={progress != null && progress < 1 ? progress : undefined} />
        </p>
      )}
      {error != null && <Failure error={error} />}
      {result && (
        <div role="status" className={result.errors?.length ? 'error' : 'secret'}>
          <p>
            <strong>{result.dry_run ? t('import.dryResult') : result.committed ? t('import.done') : t('import.notDone')}</strong>
          </p>
          <p>{t('import.counts', { rows: result.rows, created: result.created, updated: result.updated })}</p>
          {!!result.errors?.length && (
            <ul>
              {result.errors.slice(0, 50).map((x, i) => (
                <li key={i}>
                  {t('import.row', { row: x.row })}
                  {x.column ? ` (${x.column})` : ''}: {x.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  )
}
