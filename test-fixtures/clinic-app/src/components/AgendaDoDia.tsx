import { useEffect, useState } from 'react'
import { supabase } from '../lib/supabase'

type ItemAgenda = {
  id: string
  starts_at: string
  status: string
  paciente_nome: string
  profissional_nome: string | null
}

const hora = new Intl.DateTimeFormat('pt-BR', { hour: '2-digit', minute: '2-digit' })

export function AgendaDoDia({ clinicId }: { clinicId: string }) {
  const [itens, setItens] = useState<ItemAgenda[]>([])
  const [erro, setErro] = useState<string | null>(null)
  const [enviando, setEnviando] = useState<string | null>(null)

  useEffect(() => {
    supabase
      .from('agenda_do_dia')
      .select('id, starts_at, status, paciente_nome, profissional_nome')
      .eq('clinic_id', clinicId)
      .order('starts_at')
      .then(({ data, error }) => {
        if (error) setErro('Não foi possível carregar a agenda.')
        else setItens(data ?? [])
      })
  }, [clinicId])

  async function enviarLembrete(appointmentId: string) {
    setEnviando(appointmentId)
    const { error } = await supabase.functions.invoke('notify-patient', { body: { appointment_id: appointmentId } })
    setEnviando(null)
    if (error) setErro('Falha ao enviar o lembrete.')
  }

  if (erro) return <p role="alert">{erro}</p>

  return (
    <section>
      <h1>Agenda de hoje</h1>
      <ul>
        {itens.map((item) => (
          <li key={item.id}>
            <time>{hora.format(new Date(item.starts_at))}</time> {item.paciente_nome}
            {item.profissional_nome ? ` · ${item.profissional_nome}` : ''} <span>{item.status}</span>
            <button disabled={enviando === item.id} onClick={() => enviarLembrete(item.id)}>
              Lembrar no WhatsApp
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
