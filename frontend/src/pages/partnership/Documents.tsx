import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, download, upload, type Schemas } from '../../api/client'
import { date, number } from '../../format'
import { Field } from '../../form'
import { fieldErrors, hasFieldErrors } from '../../fields'
import { Empty, Failure, Loading } from '../../states'
import type { TabProps } from './tab'

/** Agreements, decisions and reports kept with the partnership. */
export default function Documents({ partnership: p, canEdit }: TabProps) {
  const { t } = useTranslation()
  const list = useQuery({
    queryKey: ['documents', p.id],
    queryFn: async () => (await api.GET('/partnerships/{id}/documents', { params: { path: { id: p.id! } } })).data?.items ?? [],
  })
  const [downloadError, setDownloadError] = useState<unknown>(null)
  function open(id: string | undefined, filename: string | undefined) {
    setDownloadError(null)
    download(`/documents/${id}/content`, filename ?? '').catch(setDownloadError)
  }
  return (
    <>
      <h2>{t('partnership.tab.dokument')}</h2>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <Failure error={list.error} retry={list.refetch} />
      ) : !list.data.length ? (
        <Empty />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('partnership.document')}</th>
              <th scope="col">{t('partnership.size')}</th>
              <th scope="col">{t('partnership.added')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((d) => (
              <tr key={d.id}>
                <td>
                  <button type="button" className="link" onClick={() => open(d.id, d.filename)}>
                    {d.title || d.filename}
                  </button>{' '}
                  <span className="muted">{d.filename}</span>
                </td>
                <td className="nowrap">{number(Math.ceil((d.size_bytes ?? 0) / 1024))} kB</td>
                <td>{date(d.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {downloadError != null && <Failure error={downloadError} />}
      {canEdit && <Upload partnershipId={p.id!} />}
    </>
  )
}

function Upload({ partnershipId }: { partnershipId: string }) {
  const { t } = useTranslation()
  const client = useQueryClient()
  const [progress, setProgress] = useState<number | null>(null)
  const [done, setDone] = useState(false)
  const m = useMutation({
    mutationFn: (body: FormData) => upload<Schemas['Document']>(`/api/v1/partnerships/${partnershipId}/documents`, body, setProgress),
    onSuccess: () => {
      setDone(true)
      void client.invalidateQueries({ queryKey: ['documents', partnershipId] })
    },
    onSettled: () => setProgress(null),
  })
  const err = fieldErrors(m.error)
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    setDone(false)
    setProgress(0)
    m.mutate(new FormData(e.currentTarget))
  }
  return (
    <details>
      <summary>{t('partnership.addDocument')}</summary>
      <form onSubmit={submit} className="report">
        <Field id="doc-title" label={t('partnership.documentTitle')} error={err('title')}>
          <input name="title" />
        </Field>
        <Field id="doc-file" label={t('partnership.file')} error={err('file')} hint={t('partnership.documentHint')}>
          <input name="file" type="file" required />
        </Field>
        <button type="submit" disabled={m.isPending}>
          {t('partnership.upload')}
        </button>
        {progress != null && (
          <p>
            <label htmlFor="doc-progress">{progress < 1 ? t('import.uploading') : t('import.working')}</label> <progress id="doc-progress" max={1} value={progress < 1 ? progress : undefined} />
          </p>
        )}
        {m.isError && !hasFieldErrors(m.error) && <Failure error={m.error} />}
        <p role="status">{done && t('common.added')}</p>
      </form>
    </details>
  )
}
