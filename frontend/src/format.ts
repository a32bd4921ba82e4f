// Numbers, money and dates as Swedish (or English) readers expect them.
const locale = () => (document.documentElement.lang === 'en' ? 'en-GB' : 'sv-SE')

/** Öre as kronor: 79068000 → "790 680 kr". */
export const kronor = (ore: number) =>
  new Intl.NumberFormat(locale(), { style: 'currency', currency: 'SEK', maximumFractionDigits: 0 }).format(ore / 100)

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
