// Numbers, money and dates as Swedish (or English) readers expect them.
const locale = () => (document.documentElement.lang === 'en' ? 'en-GB' : 'sv-SE')

/**
 * Minor units (öre, euro cents) as whole major units, rounded half away from
 * zero with integer arithmetic: money is never divided as a float.
 */
export function wholeUnits(minor: number): number {
  const sign = minor < 0 ? -1 : 1
  const abs = Math.abs(Math.trunc(minor))
  const rest = abs % 100
  return sign * ((abs - rest) / 100 + (rest >= 50 ? 1 : 0))
}

/** Minor units as an exact decimal for a form field: 30000050 → "300000,50", 150000 → "1500". */
export function minorUnitsText(minor: number): string {
  const abs = Math.abs(Math.trunc(minor))
  const rest = abs % 100
  const whole = `${minor < 0 ? '-' : ''}${(abs - rest) / 100}`
  return rest ? `${whole},${String(rest).padStart(2, '0')}` : whole
}

/** Öre as kronor: 79068000 → "790 680 kr". */
export const kronor = (ore: number) =>
  new Intl.NumberFormat(locale(), { style: 'currency', currency: 'SEK', maximumFractionDigits: 0 }).format(wholeUnits(ore))

/** A date and time, e.g. "23 nov. 2026 02:08". */
export const dateTime = (iso: string) => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))

export const number = (n: number) => new Intl.NumberFormat(locale()).format(n)

export const date = (iso?: string) => (iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(new Date(iso)) : '–')

/** A period as "1 jan. 2015 – 31 dec. 2016", "från 1 jan. 2015", "till …", or "–". */
export function period(start?: string, end?: string) {
  const en = document.documentElement.lang === 'en'
  if (start && end) return `${date(start)} – ${date(end)}`
  if (start) return `${en ? 'from' : 'från'} ${date(start)}`
  if (end) return `${en ? 'until' : 'till'} ${date(end)}`
  return '–'
}

/** Kronor as typed ("50 000", "1200,50") to integer öre, without floating point; null if not an amount. */
export function oreFromKronor(text: string): number | null {
  const m = /^(\d+)(?:[,.](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0]/g, ''))
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}
