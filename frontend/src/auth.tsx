import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { accessToken, api, signIn, signOut } from './api/client'
import { Ctx, type Auth } from './auth-context'

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
