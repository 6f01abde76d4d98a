// O paciente (ou a recepção) confirma a consulta pelo app. Usa o JWT de quem chamou; o RLS decide.
import { serve } from 'https://deno.land/std@0.168.0/http/server.ts'
import { createClient } from 'https://esm.sh/@supabase/supabase-js@2'
import { corsHeaders } from '../_shared/cors.ts'

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), { status, headers: { ...corsHeaders, 'Content-Type': 'application/json' } })

serve(async (req) => {
  if (req.method === 'OPTIONS') {
    return new Response('ok', { headers: corsHeaders })
  }

  try {
    const authorization = req.headers.get('Authorization')
    if (!authorization) {
      return json({ error: 'Não autenticado' }, 401)
    }
    const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
      global: { headers: { Authorization: authorization } },
    })
    const { data: { user }, error: authError } = await supabase.auth.getUser()
    if (authError || !user) {
      return json({ error: 'Não autenticado' }, 401)
    }

    const { appointment_id } = (await req.json()) as { appointment_id?: string }
    if (!appointment_id) {
      return json({ error: 'appointment_id é obrigatório' }, 400)
    }

    const { data: consulta, error } = await supabase
      .from('appointments')
      .update({ status: 'confirmed', confirmed_at: new Date().toISOString() })
      .eq('id', appointment_id)
      .eq('status', 'scheduled')
      .select('id, clinic_id')
      .maybeSingle()
    if (error) throw error
    if (!consulta) {
      return json({ error: 'Consulta não encontrada ou já confirmada' }, 404)
    }

    console.info({
      event: 'appointment_confirmed',
      clinic_id: consulta.clinic_id,
      appointment_id: consulta.id,
      user_id: user.id,
      at: new Date().toISOString(),
    })
    return json({ confirmed: true }, 200)
  } catch (err) {
    console.error('confirm-appointment: erro inesperado', err)
    return json({ error: 'Erro interno' }, 500)
  }
})
