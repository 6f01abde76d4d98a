// Webhook de entrada da Evolution API (WhatsApp): grava as mensagens recebidas pela clínica.
// Público (verify_jwt = false): a Evolution envia o header `apikey` configurado na instância.
import { serve } from 'https://deno.land/std@0.168.0/http/server.ts'
import { timingSafeEqual } from 'jsr:@std/crypto@1/timing-safe-equal'
import { supabaseAdmin } from '../_shared/supabaseAdmin.ts'
import { maskPhone } from '../_shared/mask.ts'

type EvolutionMessageUpsert = {
  event: string
  instance: string
  data: {
    key: { remoteJid: string; fromMe: boolean; id: string }
    pushName?: string
    message?: { conversation?: string; extendedTextMessage?: { text?: string } }
    messageTimestamp: number
  }
}

const encoder = new TextEncoder()

/** Compara o header `apikey` com o segredo em tempo constante. Sem segredo configurado, recusa. */
function isValidApiKey(received: string | null): boolean {
  const expected = Deno.env.get('EVOLUTION_WEBHOOK_SECRET')
  if (!expected || !received) return false
  return timingSafeEqual(encoder.encode(received), encoder.encode(expected))
}

serve(async (req) => {
  if (req.method !== 'POST') {
    return new Response('Method not allowed', { status: 405 })
  }
  if (!isValidApiKey(req.headers.get('apikey'))) {
    return new Response('Unauthorized', { status: 401 })
  }

  try {
    const payload = (await req.json()) as EvolutionMessageUpsert
    if (payload.event !== 'messages.upsert' || payload.data.key.fromMe) {
      return new Response(JSON.stringify({ ignored: true }), { status: 200 })
    }

    // Cada clínica tem a sua instância na Evolution: o nome da instância identifica o tenant.
    const { data: clinic, error: clinicError } = await supabaseAdmin
      .from('clinics')
      .select('id')
      .eq('whatsapp_instance', payload.instance)
      .maybeSingle()
    if (clinicError) throw clinicError
    if (!clinic) {
      return new Response('Unknown instance', { status: 404 })
    }

    const telefone = payload.data.key.remoteJid.split('@')[0]
    const texto = payload.data.message?.conversation ?? payload.data.message?.extendedTextMessage?.text ?? null

    const { error: insertError } = await supabaseAdmin.from('messages').insert({
      clinic_id: clinic.id,
      channel: 'whatsapp',
      direction: 'inbound',
      from_phone: telefone,
      body: texto,
      external_id: payload.data.key.id,
      sent_at: new Date(payload.data.messageTimestamp * 1000).toISOString(),
    })
    if (insertError) throw insertError

    console.info({
      event: 'whatsapp_message_received',
      clinic_id: clinic.id,
      from: maskPhone(telefone),
      at: new Date().toISOString(),
    })

    return new Response(JSON.stringify({ received: true }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    })
  } catch (err) {
    console.error('whatsapp-webhook: falha ao gravar mensagem', err)
    return new Response('Internal error', { status: 500 })
  }
})
