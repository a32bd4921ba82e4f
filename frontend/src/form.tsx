import { cloneElement, type ReactElement } from 'react'
import { Problem } from './api/client'
import { oreFromKronor } from './format'

/** The message the API gave for a field, if the error was its validation. */
export function fieldErrors(error: unknown) {
  const p = error instanceof Problem ? error : null
  return (field: string) => p?.fields?.find((f) => f.field === field)?.message
}

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

/** A form's data as strings, empty ones left out. */
export function values(form: HTMLFormElement | FormData) {
  const out: Record<string, string> = {}
  ;(form instanceof FormData ? form : new FormData(form)).forEach((v, k) => {
    if (String(v).trim() !== '') out[k] = String(v).trim()
  })
  return out
}

/** Kronor typed into a field, as öre; throws the field's error if it is not an amount. */
export function kronorField(text: string | undefined, field: string, message: string): number | undefined {
  if (!text) return undefined
  const ore = oreFromKronor(text)
  if (ore == null) throw new Problem(400, message, '', [{ field, message }])
  return ore
}
