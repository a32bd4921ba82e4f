import { describe, expect, it } from 'vitest'
import { checkOrgNumber } from './orgnumber'

describe('checkOrgNumber', () => {
  it('accepts valid numbers in their usual forms', () => {
    for (const n of ['212000-1355', '2120001355', '16212000-1355', '556036-0793', '']) expect(checkOrgNumber(n)).toBeNull()
  })
  it('tells a wrong check digit from a wrong format', () => {
    expect(checkOrgNumber('212000-1356')).toBe('checksum')
    expect(checkOrgNumber('21200-1355')).toBe('format')
    expect(checkOrgNumber('abc')).toBe('format')
  })
})
