import { createContext, useContext } from 'react'
import type { Schemas } from './api/client'

/** Who is signed in, and how to sign in and out; given by AuthProvider (auth.tsx). */
export type Auth = {
  me: Schemas['Me'] | null
  loading: boolean
  signIn: (email: string, password: string) => Promise<void>
  signOut: () => Promise<void>
}

export const Ctx = createContext<Auth | null>(null)

export function useAuth() {
  const a = useContext(Ctx)
  if (!a) throw new Error('useAuth outside AuthProvider')
  return a
}
