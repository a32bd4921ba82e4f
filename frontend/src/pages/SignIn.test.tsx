import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider } from '../auth'
import '../i18n'
import SignIn from './SignIn'

afterEach(() => vi.unstubAllGlobals())

describe('SignIn', () => {
  it('tells a wrong password in Swedish, from the problem code', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        Promise.resolve(
          new Response(JSON.stringify({ title: 'Bad Request', status: 400, code: 'invalid_grant', detail: 'the e-mail address or password is wrong' }), {
            status: 400,
            headers: { 'Content-Type': 'application/problem+json' },
          }),
        ),
      ),
    )
    render(
      <QueryClientProvider client={new QueryClient()}>
        <AuthProvider>
          <SignIn />
        </AuthProvider>
      </QueryClientProvider>,
    )
    fireEvent.change(screen.getByLabelText('E-postadress'), { target: { value: 'redaktor@demo.samverkan.se' } })
    fireEvent.change(screen.getByLabelText('Lösenord'), { target: { value: 'fel' } })
    fireEvent.click(screen.getByRole('button', { name: 'Logga in' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Fel e-postadress eller lösenord')
  })
})
