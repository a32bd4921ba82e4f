import { describe, expect, it } from 'vitest'
import { kronor, number, period } from './format'

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
})
