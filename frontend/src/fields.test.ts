import { describe, expect, it } from 'vitest'
import { Problem } from './api/client'
import { exchangeRateRequestCurrencyValues, lessonRequestFactorsValues, newPartyRoleValues, updatePartnershipParticipation_levelValues } from './api/schema'
import { codeField, codeFields, fieldErrors, oneOf, requiredKronorField } from './fields'
import './i18n'

describe('oneOf', () => {
  it('narrows a code of the list and nothing else', () => {
    expect(oneOf('lead', newPartyRoleValues)).toBe('lead')
    expect(oneOf('boss', newPartyRoleValues)).toBeUndefined()
    expect(oneOf('', newPartyRoleValues)).toBeUndefined()
    expect(oneOf(undefined, newPartyRoleValues)).toBeUndefined()
  })
  it('keeps the empty code where the contract has one (clearing a PATCH field)', () => {
    expect(oneOf('', updatePartnershipParticipation_levelValues)).toBe('')
  })
})

describe('codeField', () => {
  it('sends a code of the list', () => {
    expect(codeField('partner', newPartyRoleValues)).toBe('partner')
  })
  it('sends what is not in the list as given, for the API to refuse at the field', () => {
    expect(codeField('NOK', exchangeRateRequestCurrencyValues)).toBe('NOK')
    expect(codeField('', newPartyRoleValues)).toBe('')
    expect(codeField(undefined, newPartyRoleValues)).toBeUndefined()
  })
  it('reads ticked check boxes', () => {
    expect(codeFields(['trust', 'time'], lessonRequestFactorsValues)).toEqual(['trust', 'time'])
  })
})

describe('requiredKronorField', () => {
  it('reads an amount, and refuses nothing with the required error at the field', () => {
    expect(requiredKronorField('1 500', 'amount_ore', 'fel')).toBe(150_000)
    expect(() => requiredKronorField('', 'amount_ore', 'fel')).toThrowError(Problem)
    try {
      requiredKronorField(undefined, 'amount_ore', 'fel')
    } catch (e) {
      expect(fieldErrors(e)('amount_ore')).toBe('Fyll i det här fältet.')
    }
  })
})
