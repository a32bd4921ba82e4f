import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Problem } from './api/client'
import './i18n'
import { Empty, Failure } from './states'

describe('states', () => {
  it('shows a problem by its title and detail, as an alert', () => {
    render(<Failure error={new Problem(422, 'Ogiltig begäran', 'end_date is before start_date')} />)
    expect(screen.getByRole('alert')).toHaveTextContent('Ogiltig begäran')
    expect(screen.getByRole('alert')).toHaveTextContent('end_date is before start_date')
  })
  it('says when there is nothing, in Swedish', () => {
    render(<Empty />)
    expect(screen.getByText('Inget att visa.')).toBeInTheDocument()
  })
})
