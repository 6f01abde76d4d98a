import { useEffect, useState } from 'react'
import { NavLink, Route, Routes } from 'react-router-dom'
import type { Session } from '@supabase/supabase-js'
import { supabase } from './lib/supabase'
import { AgendaDoDia } from './components/AgendaDoDia'
import { PacienteForm } from './components/PacienteForm'
import { UsuariosPage } from './admin/UsuariosPage'

export default function App() {
  const [session, setSession] = useState<Session | null>(null)
  const [clinicId, setClinicId] = useState<string | null>(null)

  useEffect(() => {
    supabase.auth.getSession().then(({ data }) => setSession(data.session))
    const { data: listener } = supabase.auth.onAuthStateChange((_event, novaSessao) => setSession(novaSessao))
    return () => listener.subscription.unsubscribe()
  }, [])

  useEffect(() => {
    if (!session) return
    supabase
      .from('clinic_members')
      .select('clinic_id')
      .eq('user_id', session.user.id)
      .limit(1)
      .maybeSingle()
      .then(({ data }) => setClinicId(data?.clinic_id ?? null))
  }, [session])

  if (!session) {
    return (
      <main className="login">
        <button onClick={() => supabase.auth.signInWithOAuth({ provider: 'google' })}>Entrar com Google</button>
      </main>
    )
  }

  return (
    <div className="layout">
      <nav>
        <NavLink to="/">Agenda</NavLink>
        <NavLink to="/pacientes/novo">Novo paciente</NavLink>
        <NavLink to="/admin/usuarios">Usuários</NavLink>
        <button onClick={() => supabase.auth.signOut()}>Sair</button>
      </nav>
      <main>
        {clinicId ? (
          <Routes>
            <Route path="/" element={<AgendaDoDia clinicId={clinicId} />} />
            <Route path="/pacientes/novo" element={<PacienteForm clinicId={clinicId} />} />
            <Route path="/admin/usuarios" element={<UsuariosPage />} />
          </Routes>
        ) : (
          <p>Você ainda não faz parte de nenhuma clínica. Peça um convite ao administrador.</p>
        )}
      </main>
    </div>
  )
}
