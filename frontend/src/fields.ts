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

/** Kronor for a field the request requires, as öre: nothing typed is the
 * field's 'required' error (the API's own code and text), not a request. */
export function requiredKronorField(text: string | undefined, field: string, message: string): number {
  const ore = kronorField(text, field, message)
  if (ore == null) {
    const required = i18n.t('fieldErrors.required')
    throw new Problem(400, required, '', [{ field, code: 'required', message: required }])
  }
  return ore
}

/** value as one of allowed, with allowed's type; undefined when it is none of them. */
export function oneOf<T>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value)
}

/**
 * A code from a form (a select's or check box's value) as the request field
 * whose codes are allowed: the contract's list, generated into api/schema.ts
 * (`newPartyRoleValues`, …), so the compiler ties the list to the field.
 *
 * A value in allowed is narrowed by oneOf. A value that is not – nothing
 * chosen, or a code the contract does not list (the exchange-rate form's NOK)
 * – is sent as the user gave it (nothing stays nothing): the API answers 422
 * at this field, 'required' or 'not_allowed', and the form shows it there
 * together with the other fields' errors. Dropping it instead would make a
 * wrong choice 'no change' on a PATCH, out of the user's sight; refusing it
 * here would hide the other fields' errors until it is fixed. This is the one
 * place where a body's type takes a value on trust, and only one the API checks.
 */
export function codeField<T extends string | null>(value: string | undefined, allowed: readonly T[]): NonNullable<T> {
  const known = oneOf(value, allowed)
  return known ?? (value as NonNullable<T>)
}

/** Several codes of one field (ticked check boxes), each as codeField sends it. */
export function codeFields<T extends string | null>(values: string[], allowed: readonly T[]): NonNullable<T>[] {
  return values.map((v) => codeField(v, allowed))
}
