import { useMutation, useQueryClient } from '@tanstack/react-query'
import { cloneElement, useState, type FormEvent, type ReactElement, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { fieldErrors, hasFieldErrors, values } from './fields'
import { Failure } from './states'

/** A labelled control with its error (or hint) tied to it for screen readers. */
export function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: string; children: ReactElement<Record<string, unknown>> }) {
  const note = error ?? hint
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': note ? id + '-note' : undefined })}
      {note && (
        <p id={id + '-note'} className={error ? 'field-error' : 'muted'}>
          {note}
        </p>
      )}
    </div>
  )
}

/** A small folded form that sends one change and refreshes what it changed (the partnership page, or the queries in refresh). */
export function AddForm({ title, action, done: doneText, partnershipId, refresh = [], send, children }: { title: string; refresh?: unknown[][]; action?: string; done?: string; partnershipId?: string; send: (v: Record<string, string>, form: FormData) => Promise<unknown>; children: (err: (f: string) => string | undefined) => ReactNode }) {
  const { t } = useTranslation()
  const client = useQueryClient()
  const [done, setDone] = useState(false)
  const m = useMutation({
    mutationFn: ({ v, form }: { v: Record<string, string>; form: FormData }) => send(v, form),
    onSuccess: () => {
      setDone(true)
      if (partnershipId) void client.invalidateQueries({ queryKey: ['partnership', partnershipId] })
      for (const key of refresh) void client.invalidateQueries({ queryKey: key })
    },
  })
  const err = fieldErrors(m.error)
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    setDone(false)
    m.mutate({ v: values(e.currentTarget), form: new FormData(e.currentTarget) })
  }
  return (
    <details>
      <summary>{title}</summary>
      <form onSubmit={submit} className="report" noValidate>
        {children(err)}
        {m.isError && !hasFieldErrors(m.error) && <Failure error={m.error} />}
        <button type="submit" disabled={m.isPending}>
          {m.isPending ? t('common.loading') : (action ?? t('common.add'))}
        </button>
        <p role="status">{done && (doneText ?? t('common.added'))}</p>
      </form>
    </details>
  )
}

/** A select of a code list's entries, with an empty choice. */
export function Select({ value, entries, label, ...rest }: { name: string; value?: string; entries: { code?: string }[]; label: (code: string) => string; id?: string }) {
  const { t } = useTranslation()
  return (
    <select {...rest} defaultValue={value ?? ''} key={entries.length}>
      <option value="">{t('common.none')}</option>
      {entries.map((e) => (
        <option key={e.code} value={e.code}>
          {label(e.code!)}
        </option>
      ))}
    </select>
  )
}

/** A group of check boxes sending every ticked value under one name. */
export function Checks({ legend, name, options, selected = [], error }: { legend: string; name: string; options: [string, string][]; selected?: string[]; error?: string }) {
  return (
    <fieldset aria-describedby={error ? `${name}-note` : undefined}>
      <legend>{legend}</legend>
      <div className="checks">
        {options.map(([value, text]) => (
          <label key={value} className="check">
            <input type="checkbox" name={name} value={value} defaultChecked={selected.includes(value)} /> {text}
          </label>
        ))}
      </div>
      {error && (
        <p id={`${name}-note`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  )
}
