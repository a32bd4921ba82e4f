import { useQuery } from '@tanstack/react-query'
import type { CSSProperties } from 'react'
import { api } from './api/client'
import { useAuth } from './auth-context'

/** The signed-in caller's tenant (its name and colour, for the header); none for the platform operator. */
export function useTenant() {
  const { me } = useAuth()
  return useQuery({
    queryKey: ['tenant'],
    queryFn: async () => (await api.GET('/tenant')).data ?? null,
    enabled: !!me?.tenant_id,
    staleTime: 5 * 60_000,
  })
}

const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i

/** The relative luminance of a #rrggbb colour (WCAG 2.1); undefined for anything else. */
export function luminance(colour: string): number | undefined {
  const m = hex.exec(colour)
  if (!m) return undefined
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The contrast ratio of white text on colour (WCAG 2.1: 1 to 21). */
export function contrastWithWhite(colour: string): number | undefined {
  const l = luminance(colour)
  return l === undefined ? undefined : 1.05 / (l + 0.05)
}

/**
 * How the header wears a tenant's colour: as its background when the
 * header's white text reads on it at WCAG AA (4.5:1), otherwise as a band
 * along its top over the app's own blue, so that a light colour (a yellow,
 * a pale green) is still the tenant's without making the header unreadable.
 */
export function headerLook(colour: string | undefined): CSSProperties | undefined {
  const ratio = colour ? contrastWithWhite(colour) : undefined
  if (!colour || ratio === undefined) return undefined
  return ratio >= 4.5 ? { background: colour, borderTop: `6px solid ${colour}` } : { borderTop: `6px solid ${colour}` }
}
