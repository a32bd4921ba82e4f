import { describe, expect, it } from 'vitest'
import { contrastWithWhite, headerLook, luminance } from './tenant'

describe('tenant colour', () => {
  it('measures contrast as WCAG 2.1 does', () => {
    expect(luminance('#ffffff')).toBeCloseTo(1, 5)
    expect(luminance('#000000')).toBe(0)
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5)
    // Göteborg's blue: 4.86:1, enough for the header's white text.
    expect(contrastWithWhite('#0076bc')).toBeCloseTo(4.86, 2)
    expect(luminance('blue')).toBeUndefined()
  })
  it('colours the header with a dark colour and bands it with a light one', () => {
    expect(headerLook('#0076bc')).toEqual({ background: '#0076bc', borderTop: '6px solid #0076bc' })
    expect(headerLook('#ffd200')).toEqual({ borderTop: '6px solid #ffd200' })
    expect(headerLook(undefined)).toBeUndefined()
    expect(headerLook('url(x)')).toBeUndefined()
  })
})
