// Lembrete de consulta por WhatsApp (Evolution API), disparado pela recepção no painel.
import { createClient } from 'jsr:@supabase/supabase-js@2'
import { corsHeaders, jsonHeaders } from '../_shared/cors.ts'

const EVOLUTION_API_URL = Deno.env.get('EVOLUTION_API_URL')!
const EVOLUTION_API_KEY = Deno.env.get('EVOLUTION_API_KEY')!

type NotifyPatientRequest = { appointment_id: string }

type ConsultaComPaciente = {
  id: string
  clinic_id: string
  starts_at: string
  clinics: { name: string; whatsapp_instance: string | null }
  patients: { nome: string; cpf: string; telefone: string; email: string | null }
}

function montarMensagem(consulta: ConsultaComPaciente): string {
  const quando = new Intl.DateTimeFormat('pt-BR', {
    weekday: 'long',
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'America/Sao_Paulo',
  }).format(new Date(consulta.starts_at))
  const primeiroNome = consulta.patients.nome.split(' ')[0]
  return `Olá, ${primeiroNome}! Lembrete da sua consulta na ${consulta.clinics.name}: ${quando}. Responda 1 para confirmar ou 2 para remarcar.`
}

async function handler(req: Request): Promise<Response> {
  if (req.method === 'OPTIONS') {
    return new Response('ok', { headers: corsHeaders })
  }

  try {
    const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
      global: { headers: { Authorization: req.headers.get('Authorization')! } },
    })

    const { data: { user }, error: authError } = await supabase.auth.getUser()
    if (authError || !user) {
      return new Response(JSON.stringify({ error: 'Unauthorized' }), { status: 401, headers: jsonHeaders })
    }

    const { appointment_id } = (await req.json()) as NotifyPatientRequest

    const { data, error } = await supabase
      .from('appointments')
      .select('id, clinic_id, starts_at, clinics(name, whatsapp_instance), patients(nome, cpf, telefone, email)')
      .eq('id', appointment_id)
      .single()
    if (error) throw error
    const consulta = data as ConsultaComPaciente
    const paciente = consulta.patients

    if (!consulta.clinics.whatsapp_instance) {
      return new Response(JSON.stringify({ error: 'Clínica sem instância de WhatsApp configurada' }), { status: 409, headers: jsonHeaders })
    }

    console.log(`Enviando lembrete para ${paciente.nome} (CPF ${paciente.cpf}) no WhatsApp ${paciente.telefone} / e-mail ${paciente.email}`)

    const resposta = await fetch(`${EVOLUTION_API_URL}/message/sendText/${consulta.clinics.whatsapp_instance}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', apikey: EVOLUTION_API_KEY },
      body: JSON.stringify({ number: paciente.telefone, text: montarMensagem(consulta) }),
    })
    if (!resposta.ok) {
      throw new Error(`Evolution API respondeu ${resposta.status}`)
    }

    const { error: updateError } = await supabase
      .from('appointments')
      .update({ reminder_sent_at: new Date().toISOString() })
      .eq('id', consulta.id)
    if (updateError) throw updateError

    console.info({
      event: 'appointment_reminder_sent',
      clinic_id: consulta.clinic_id,
      appointment_id: consulta.id,
      at: new Date().toISOString(),
    })

    return new Response(JSON.stringify({ sent: true }), { status: 200, headers: jsonHeaders })
  } catch (err) {
    console.error('notify-patient: falha ao enviar lembrete', err)
    return new Response(JSON.stringify({ error: 'Falha ao enviar lembrete' }), { status: 500, headers: jsonHeaders })
  }
}

Deno.serve({ port: 8000 }, handler)
