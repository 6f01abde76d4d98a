// Envia ao paciente o e-mail de confirmação da consulta (Resend).
// Chamada pelo painel da clínica com o JWT do usuário (verify_jwt ligado): o RLS decide o que ele enxerga.
import { createClient } from 'https://esm.sh/@supabase/supabase-js@2'
import { corsHeaders, jsonHeaders } from '../_shared/cors.ts'

const RESEND_API_KEY = Deno.env.get('RESEND_API_KEY')!
const EMAIL_FROM = Deno.env.get('EMAIL_FROM')!

type SendEmailRequest = { appointment_id?: string }

function formatarDataHora(iso: string): string {
  return new Intl.DateTimeFormat('pt-BR', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'America/Sao_Paulo',
  }).format(new Date(iso))
}

Deno.serve(async (req) => {
  if (req.method === 'OPTIONS') {
    return new Response('ok', { headers: corsHeaders })
  }

  try {
    const authHeader = req.headers.get('Authorization')
    if (!authHeader) {
      return new Response(JSON.stringify({ error: 'Missing Authorization header' }), { status: 401, headers: jsonHeaders })
    }

    const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
      global: { headers: { Authorization: authHeader } },
    })

    const { data: { user }, error: authError } = await supabase.auth.getUser()
    if (authError || !user) {
      return new Response(JSON.stringify({ error: 'Unauthorized' }), { status: 401, headers: jsonHeaders })
    }

    const { appointment_id } = (await req.json()) as SendEmailRequest
    if (!appointment_id) {
      return new Response(JSON.stringify({ error: 'appointment_id é obrigatório' }), { status: 400, headers: jsonHeaders })
    }

    // RLS: só volta a consulta se o usuário for membro da clínica dona dela.
    const { data: consulta, error: consultaError } = await supabase
      .from('appointments')
      .select('id, clinic_id, patient_id, starts_at, clinics(name), patients(nome, email)')
      .eq('id', appointment_id)
      .maybeSingle()
    if (consultaError) throw consultaError
    if (!consulta) {
      return new Response(JSON.stringify({ error: 'Consulta não encontrada' }), { status: 404, headers: jsonHeaders })
    }
    if (!consulta.patients?.email) {
      return new Response(JSON.stringify({ error: 'Paciente sem e-mail cadastrado' }), { status: 422, headers: jsonHeaders })
    }

    const assunto = `Consulta confirmada – ${consulta.clinics.name}`
    const resposta = await fetch('https://api.resend.com/emails', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${RESEND_API_KEY}`,
      },
      body: JSON.stringify({
        from: EMAIL_FROM,
        to: [consulta.patients.email],
        subject: assunto,
        html: `<p>Olá, ${consulta.patients.nome}!</p>
<p>Sua consulta na ${consulta.clinics.name} está confirmada para <strong>${formatarDataHora(consulta.starts_at)}</strong>.</p>
<p>Se precisar remarcar, responda este e-mail ou fale com a recepção.</p>`,
      }),
    })
    if (!resposta.ok) {
      console.error('send-email: Resend respondeu com erro', { status: resposta.status, clinic_id: consulta.clinic_id })
      return new Response(JSON.stringify({ error: 'Falha ao enviar e-mail' }), { status: 502, headers: jsonHeaders })
    }
    const { id: resendId } = (await resposta.json()) as { id: string }

    const { error: messageError } = await supabase.from('messages').insert({
      clinic_id: consulta.clinic_id,
      patient_id: consulta.patient_id,
      channel: 'email',
      direction: 'outbound',
      body: assunto,
      external_id: resendId,
      sent_at: new Date().toISOString(),
    })
    if (messageError) throw messageError

    console.info({
      event: 'appointment_email_sent',
      clinic_id: consulta.clinic_id,
      appointment_id: consulta.id,
      resend_id: resendId,
      at: new Date().toISOString(),
    })

    return new Response(JSON.stringify({ sent: true, id: resendId }), { status: 200, headers: jsonHeaders })
  } catch (err) {
    console.error('send-email: erro inesperado', err)
    return new Response(JSON.stringify({ error: 'Erro interno' }), { status: 500, headers: jsonHeaders })
  }
})
