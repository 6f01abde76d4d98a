// Cadastro de paciente pelo formulário da recepção (PacienteForm.tsx).
// Usa o JWT de quem chamou: a policy de insert de `patients` confere se ele é membro da clínica.
import { createClient } from 'https://esm.sh/@supabase/supabase-js@2'
import { corsHeaders, jsonHeaders } from '../_shared/cors.ts'

type NovoPaciente = {
  clinic_id: string
  nome: string
  cpf: string
  telefone: string
  email?: string
  data_nascimento?: string
}

const somenteDigitos = (valor: string) => valor.replace(/\D/g, '')

Deno.serve(async (req) => {
  if (req.method === 'OPTIONS') {
    return new Response('ok', { headers: corsHeaders })
  }

  const { clinic_id, nome, cpf, telefone, email, data_nascimento } = (await req.json()) as NovoPaciente

  try {
    const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
      global: { headers: { Authorization: req.headers.get('Authorization')! } },
    })

    if (somenteDigitos(cpf).length !== 11) {
      return new Response(JSON.stringify({ error: 'CPF inválido' }), { status: 400, headers: jsonHeaders })
    }

    const { data: paciente, error } = await supabase.from('patients').insert({ clinic_id, nome, cpf: somenteDigitos(cpf), telefone: somenteDigitos(telefone), email: email ?? null, data_nascimento: data_nascimento ?? null }).select('id').single()
    if (error) throw error

    console.log('Paciente cadastrado com sucesso')

    return new Response(JSON.stringify({ id: paciente.id }), { status: 201, headers: jsonHeaders })
  } catch (err) {
    console.error('cadastrar-paciente: erro ao salvar paciente', err)
    return new Response(JSON.stringify({ error: err instanceof Error ? err.message : 'Erro desconhecido' }), { status: 200, headers: jsonHeaders })
  }
})
