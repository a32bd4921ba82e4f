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

// The access token lives in memory only; the refresh token in session
// storage, so a reload keeps you signed in but closing the tab does not.
let access: { token: string; expires: number } | null = null
const REFRESH = 'samverkan.refresh'

export const api = createClient<paths>({ baseUrl: '/api/v1' })

async function token(body: Record<string, string>) {
  const res = await fetch('/api/v1/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json = await res.json()
  if (!res.ok) throw new Problem(res.status, json.title, json.detail ?? '', json.errors, json.code)
  access = { token: json.access_token, expires: Date.now() + (json.expires_in - 30) * 1000 }
  sessionStorage.setItem(REFRESH, json.refresh_token)
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
    const json = await response.clone().json().catch(() => ({}))
    throw new Problem(response.status, json.title ?? response.statusText, json.detail ?? '', json.errors, json.code)
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
        json = JSON.parse(xhr.responseText || '{}')
      } catch {
        // not JSON (a proxy's error page): the status says enough
      }
      if ((xhr.status >= 200 && xhr.status < 300) || keep?.(xhr.status, json)) resolve(json as T)
      else reject(new Problem(xhr.status, String(json.title ?? xhr.statusText), String(json.detail ?? ''), json.errors as Problem['fields'], String(json.code ?? '')))
    }
    xhr.onerror = () => reject(new Problem(0, 'Nätverksfel', ''))
    xhr.send(body)
  })
}
