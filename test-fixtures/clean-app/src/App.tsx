import { useEffect, useState } from 'react'
import type { Session } from '@supabase/supabase-js'
import { supabase } from './lib/supabase'
import { ProximasConsultas } from './components/ProximasConsultas'

export function App() {
  const [session, setSession] = useState<Session | null>(null)

  useEffect(() => {
    supabase.auth.getSession().then(({ data }) => setSession(data.session))
    const { data } = supabase.auth.onAuthStateChange((_evento, sessao) => setSession(sessao))
    return () => data.subscription.unsubscribe()
  }, [])

  if (!session) {
    return <button onClick={() => supabase.auth.signInWithOtp({ email: prompt('Seu e-mail') ?? '' })}>Entrar</button>
  }
  return <ProximasConsultas />
}
