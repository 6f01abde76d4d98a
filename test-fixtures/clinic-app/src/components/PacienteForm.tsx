import { useState, type FormEvent } from 'react'
import { supabase } from '../lib/supabase'

export function PacienteForm({ clinicId }: { clinicId: string }) {
  const [status, setStatus] = useState<'idle' | 'salvando' | 'ok' | 'erro'>('idle')

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setStatus('salvando')
    const { data, error } = await supabase.functions.invoke('cadastrar-paciente', {
      body: {
        clinic_id: clinicId,
        nome: form.get('nome'),
        cpf: form.get('cpf'),
        telefone: form.get('telefone'),
        email: form.get('email') || undefined,
        data_nascimento: form.get('data_nascimento') || undefined,
      },
    })
    setStatus(error || data?.error ? 'erro' : 'ok')
  }

  return (
    <form onSubmit={handleSubmit}>
      <h1>Novo paciente</h1>
      <label>
        Nome completo <input name="nome" required />
      </label>
      <label>
        CPF <input name="cpf" inputMode="numeric" required />
      </label>
      <label>
        Telefone (WhatsApp) <input name="telefone" type="tel" required />
      </label>
      <label>
        E-mail <input name="email" type="email" />
      </label>
      <label>
        Data de nascimento <input name="data_nascimento" type="date" />
      </label>
      <button type="submit" disabled={status === 'salvando'}>
        Salvar
      </button>
      {status === 'ok' && <p>Paciente cadastrado.</p>}
      {status === 'erro' && <p role="alert">Não foi possível cadastrar o paciente.</p>}
    </form>
  )
}
