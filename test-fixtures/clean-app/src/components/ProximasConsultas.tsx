import { useEffect, useState } from 'react'
import { supabase } from '../lib/supabase'

type Consulta = { id: string; starts_at: string; status: string; paciente_nome: string }

export function ProximasConsultas() {
  const [consultas, setConsultas] = useState<Consulta[]>([])

  useEffect(() => {
    supabase
      .from('upcoming_appointments')
      .select('id, starts_at, status, paciente_nome')
      .order('starts_at')
      .limit(20)
      .then(({ data }) => setConsultas(data ?? []))
  }, [])

  async function confirmar(id: string) {
    const { error } = await supabase.functions.invoke('confirm-appointment', { body: { appointment_id: id } })
    if (!error) setConsultas((atuais) => atuais.map((c) => (c.id === id ? { ...c, status: 'confirmed' } : c)))
  }

  return (
    <ul>
      {consultas.map((c) => (
        <li key={c.id}>
          {new Date(c.starts_at).toLocaleString('pt-BR')} — {c.paciente_nome} ({c.status})
          {c.status === 'scheduled' && <button onClick={() => confirmar(c.id)}>Confirmar</button>}
        </li>
      ))}
    </ul>
  )
}
