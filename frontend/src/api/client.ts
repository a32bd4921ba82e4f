import createClient, { type Middleware } from 'openapi-fetch'
import type { components, paths } from './schema'

export type Schemas = components['schemas']

/** A problem+json answer from the API, thrown by every call that fails. */
export class Problem extends Error {
  constructor(
    public status: number,
    public title: string,
    public detail: string,
    public fields: { field: string; code?: string; message: string }[] = [],
    public code = '',
  ) {
    super(detail || title)
  }
}

type FieldError = Problem['fields'][number]

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const text = (v: unknown) => (typeof v === 'string' ? v : undefined)
const isFieldError = (v: unknown): v is FieldError =>
  isRecord(v) && typeof v.field === 'string' && typeof v.message === 'string' && (v.code === undefined || typeof v.code === 'string')

/** The Problem in an answer's body (problem+json); what is missing or of the
 * wrong shape is left out, so a proxy's error page gives just the status. */
function problemOf(status: number, body: unknown, title: string): Problem {
  const b = isRecord(body) ? body : {}
  const errors = Array.isArray(b.errors) ? b.errors.filter(isFieldError) : []
  return new Problem(status, text(b.title) || title, text(b.detail) ?? '', errors, text(b.code) ?? '')
}

// The access token lives in memory only; the refresh token in session
// storage, so a reload keeps you signed in but closing the tab does not.
let access: { token: string; expires: number } | null = null
const REFRESH = 'samverkan.refresh'

export const api = createClient<paths, `${string}/${string}json`>({ baseUrl: '/api/v1' })

async function token(body: Record<string, string>) {
  const res = await fetch('/api/v1/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json: unknown = await res.json().catch(() => null)
  if (!res.ok) throw problemOf(res.status, json, res.statusText)
  const t = isRecord(json) ? json : {}
  const accessText = text(t.access_token)
  const refreshText = text(t.refresh_token)
  if (!accessText || !refreshText) throw new Problem(res.status, 'Invalid token response', '')
  access = { token: accessText, expires: Date.now() + ((typeof t.expires_in === 'number' ? t.expires_in : 0) - 30) * 1000 }
  sessionStorage.setItem(REFRESH, refreshText)
}

export const signIn = (username: string, password: string) => token({ grant_type: 'password', username, password })

export async function signOut() {
  const refresh = sessionStorage.getItem(REFRESH)
  access = null
  sessionStorage.removeItem(REFRESH)
  // The tokens are already forgotten here; a revoke lost to the network only
  // leaves the refresh token to expire on its own.
  if (refresh) await fetch('/api/v1/auth/revoke', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: refresh }) }).catch(() => undefined)
}

let refreshing: Promise<void> | null = null

/** A valid access token, refreshed silently when it is about to expire. */
export async function accessToken(): Promise<string | null> {
  if (access && access.expires > Date.now()) return access.token
  const refresh = sessionStorage.getItem(REFRESH)
  if (!refresh) return null
  refreshing ??= token({ grant_type: 'refresh_token', refresh_token: refresh })
    .catch(() => {
      sessionStorage.removeItem(REFRESH)
      access = null
    })
    .finally(() => (refreshing = null))
  await refreshing
  return access?.token ?? null
}

const auth: Middleware = {
  async onRequest({ request }) {
    const t = await accessToken()
    if (t) request.headers.set('Authorization', 'Bearer ' + t)
    return request
  },
  async onResponse({ response }) {
    if (response.ok) return response
    const json: unknown = await response.clone().json().catch(() => null)
    throw problemOf(response.status, json, response.statusText)
  },
}
api.use(auth)

/** Fetches a file (CSV, XLSX) with the token and hands it to the browser. */
export async function download(path: string, filename: string) {
  const t = await accessToken()
  const res = await fetch('/api/v1' + path, { headers: t ? { Authorization: 'Bearer ' + t } : {} })
  if (!res.ok) throw new Problem(res.status, res.statusText, '')
  const url = URL.createObjectURL(await res.blob())
  const a = Object.assign(document.createElement('a'), { href: url, download: filename })
  a.click()
  URL.revokeObjectURL(url)
}

/**
 * POSTs a form with upload progress (fetch cannot report it). Answers outside
 * 2xx are thrown as a Problem, unless keep says the answer is a result.
 */
export async function upload<T>(url: string, body: FormData, onProgress: (share: number) => void, keep?: (status: number, json: Record<string, unknown>) => boolean): Promise<T> {
  const token = await accessToken()
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    if (token) xhr.setRequestHeader('Authorization', 'Bearer ' + token)
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.onload = () => {
      let json: Record<string, unknown> = {}
      try {
        const parsed: unknown = JSON.parse(xhr.responseText || '{}')
        if (isRecord(parsed)) json = parsed
      } catch {
        // not JSON (a proxy's error page): the status says enough
      }
      if ((xhr.status >= 200 && xhr.status < 300) || keep?.(xhr.status, json)) resolve(json as T)
      else reject(problemOf(xhr.status, json, xhr.statusText))
    }
    xhr.onerror = () => reject(new Problem(0, 'Nätverksfel', ''))
    xhr.send(body)
  })
}
