import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Problem } from './api/client'
import { AddForm, Checks, Field } from './form'
import { field, fieldErrors, kronorField, values } from './fields'
import './i18n'

describe('kronorField', () => {
  it('reads typed kronor as öre', () => {
    expect(kronorField('36 000', 'valuation_ore', 'fel')).toBe(3_600_000)
    expect(kronorField(undefined, 'valuation_ore', 'fel')).toBeUndefined()
  })
  it('throws the field error for what is not an amount', () => {
    expect(() => kronorField('tolv tusen', 'valuation_ore', 'Skriv ett belopp')).toThrowError(Problem)
    try {
      kronorField('12,345', 'valuation_ore', 'Skriv ett belopp')
    } catch (e) {
      expect((e as Problem).fields).toEqual([{ field: 'valuation_ore', message: 'Skriv ett belopp' }])
    }
  })
})

describe('Checks', () => {
  it('sends every ticked value under one name, in a labelled group', () => {
    const { container } = render(
      <form>
        <Checks legend="Stadsdelar" name="district_ids" options={[['a', 'Angered'], ['b', 'Lundby'], ['c', 'Centrum']]} selected={['a']} />
      </form>,
    )
    fireEvent.click(screen.getByLabelText('Centrum'))
    expect(screen.getByRole('group', { name: 'Stadsdelar' })).toBeInTheDocument()
    expect(new FormData(container.querySelector('form')!).getAll('district_ids')).toEqual(['a', 'c'])
  })
})

describe('AddForm', () => {
  it("shows the API's validation message at its field and keeps what was typed", async () => {
    const client = new QueryClient()
    render(
      <QueryClientProvider client={client}>
        <AddForm title="Lägg till indikator" send={async () => Promise.reject(new Problem(422, 'Unprocessable Entity', '', [{ field: 'name', message: 'is required' }]))}>
          {(err) => (
            <Field id="n" label="Indikator" error={err('name')}>
              <input name="name" defaultValue="  " />
            </Field>
          )}
        </AddForm>
      </QueryClientProvider>,
    )
    fireEvent.click(screen.getByText('Lägg till', { selector: 'button' }))
    await waitFor(() => expect(screen.getByText('is required')).toBeInTheDocument())
    expect(screen.getByLabelText('Indikator')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByLabelText('Indikator')).toHaveAccessibleDescription('is required')
  })
  it('leaves blank fields out of the values', () => {
    const form = document.createElement('form')
    form.innerHTML = '<input name="a" value=" x "><input name="b" value="  ">'
    expect(values(form)).toEqual({ a: 'x' })
  })
  it('reads text fields only, never a file', () => {
    const data = new FormData()
    data.set('a', 'x')
    data.set('f', new File(['1'], 'f.csv'))
    expect(values(data)).toEqual({ a: 'x' })
    expect([field(data, 'a'), field(data, 'f'), field(data, 'missing')]).toEqual(['x', '', ''])
  })
})

describe('fieldErrors', () => {
  it("says what is wrong in Swedish when it knows the API's code, else the API's message", () => {
    const err = fieldErrors(new Problem(422, 'x', '', [
      { field: 'title', code: 'required', message: 'is required' },
      { field: 'note', code: 'something_new', message: 'is odd' },
      { field: 'sum', message: 'Skriv ett belopp' },
    ]))
    expect(err('title')).toBe('Fyll i det här fältet.')
    expect(err('note')).toBe('is odd')
    expect(err('sum')).toBe('Skriv ett belopp')
    expect(err('other')).toBeUndefined()
  })
})
