import { describe, expect, it } from 'vitest'
import { kronor, minorUnitsText, number, oreFromKronor, period, wholeUnits } from './format'

describe('format', () => {
  it('shows öre as Swedish kronor', () => {
    document.documentElement.lang = 'sv'
    expect(kronor(79068000).replace(/\s/g, ' ')).toBe('790 680 kr')
    expect(number(1693).replace(/\s/g, ' ')).toBe('1 693')
  })
  it('says an open-ended period in words', () => {
    document.documentElement.lang = 'sv'
    expect(period('2015-09-01')).toMatch(/^från 1 sep/)
    expect(period()).toBe('–')
  })
  it('turns minor units into major ones without floating point', () => {
    expect(wholeUnits(79068049)).toBe(790680)
    expect(wholeUnits(79068050)).toBe(790681)
    expect(wholeUnits(-150)).toBe(-2)
    expect(minorUnitsText(30000050)).toBe('300000,50')
    expect(minorUnitsText(150000)).toBe('1500')
    expect(minorUnitsText(7)).toBe('0,07')
    expect(oreFromKronor(minorUnitsText(123456789))).toBe(123456789)
  })
  it('reads typed kronor as integer öre', () => {
    expect(oreFromKronor('50 000')).toBe(5000000)
    expect(oreFromKronor('1200,5')).toBe(120050)
    expect(oreFromKronor('0.07')).toBe(7)
    expect(oreFromKronor('12,345')).toBeNull()
    expect(oreFromKronor('femtio')).toBeNull()
  })
})
