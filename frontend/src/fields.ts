import { Problem } from './api/client'
import { oreFromKronor } from './format'
import i18n from './i18n'

/** What is wrong with a field, if the error was its validation: in the
 * user's language when the API's code is known, else the API's message. */
export function fieldErrors(error: unknown) {
  const p = error instanceof Problem ? error : null
  return (field: string) => {
    const e = p?.fields?.find((f) => f.field === field)
    return e && (e.code ? i18n.t(`fieldErrors.${e.code}`, { defaultValue: e.message }) : e.message)
  }
}

/** Whether an error is the API's verdict on fields (shown at each field, not as one alert). */
export const hasFieldErrors = (error: unknown) => error instanceof Problem && error.fields.length > 0

/** A form's data as strings, empty ones left out (and files: they are sent as FormData). */
export function values(form: HTMLFormElement | FormData) {
  const out: Record<string, string> = {}
  ;(form instanceof FormData ? form : new FormData(form)).forEach((v, k) => {
    if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim()
  })
  return out
}

/** One text field of a form; '' when it is missing or a file. */
export function field(form: FormData, name: string): string {
  const v = form.get(name)
  return typeof v === 'string' ? v : ''
}

/** Kronor typed into a field, as öre; throws the field's error if it is not an amount. */
export function kronorField(text: string | undefined, field: string, message: string): number | undefined {
  if (!text) return undefined
  const ore = oreFromKronor(text)
  if (ore == null) throw new Problem(400, message, '', [{ field, message }])
  return ore
}

/**
 * A form's fields as the request body of the operation it is sent to. The
 * form's inputs are named after the body's fields; what the browser cannot
 * check (required fields, codes) the API checks and answers at the field,
 * which the form shows. Typed form readers per operation would remove this.
 */
export function asBody<T>(fields: unknown): NonNullable<T> {
  return fields as NonNullable<T>
}
