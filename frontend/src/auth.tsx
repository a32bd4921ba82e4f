import { useQuery, useQueryClient } from '@tanstack/react-query'
import { createContext, useContext, type ReactNode } from 'react'
import { accessToken, api, signIn, signOut, type Schemas } from './api/client'

type Auth = {
  me: Schemas['Me'] | null
  loading: boolean
  signIn: (email: string, password: string) => Promise<void>
  signOut: () => Promise<void>
}

const Ctx = createContext<Auth | null>(null)

/** Who is signed in: asks /me whenever a token can be had. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient()
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => ((await accessToken()) ? (await api.GET('/me')).data ?? null : null),
    staleTime: Infinity,
  })
  const value: Auth = {
    me: me.data ?? null,
    loading: me.isPending,
    signIn: async (email, password) => {
      await signIn(email, password)
      await client.resetQueries()
    },
    signOut: async () => {
      await signOut()
      client.setQueryData(['me'], null)
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' })
    },
  }
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>
}

export function useAuth() {
  const a = useContext(Ctx)
  if (!a) throw new Error('useAuth outside AuthProvider')
  return a
}
