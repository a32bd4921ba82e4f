/**
 * Checks an organisationsnummer as it is typed: ten digits (NNNNNN-NNNN, an
 * optional 16 in front) whose last is the Luhn check digit of the first nine.
 * Answers null when it is fine (or empty), else 'format' or 'checksum'.
 */
export function checkOrgNumber(raw: string): null | 'format' | 'checksum' {
  const s = raw.trim().replace(/[-\s]/g, '')
  if (s === '') return null
  const digits = s.length === 12 && s.startsWith('16') ? s.slice(2) : s
  if (!/^\d{10}$/.test(digits)) return 'format'
  let sum = 0
  for (let i = 0; i < 9; i++) {
    let d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1)
    if (d > 9) d -= 9
    sum += d
  }
  return (10 - (sum % 10)) % 10 === Number(digits[9]) ? null : 'checksum'
}
