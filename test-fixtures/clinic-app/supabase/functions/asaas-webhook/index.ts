// Webhook do Asaas (boleto/Pix das consultas particulares): marca o pagamento como pago.
// Público (verify_jwt = false em config.toml).
import { supabaseAdmin } from '../_shared/supabaseAdmin.ts'

type AsaasWebhookEvent = {
  id: string
  event: 'PAYMENT_CREATED' | 'PAYMENT_CONFIRMED' | 'PAYMENT_RECEIVED' | 'PAYMENT_OVERDUE' | string
  payment: {
    id: string
    customer: string
    value: number
    netValue: number
    billingType: 'BOLETO' | 'PIX' | 'CREDIT_CARD'
    status: string
    externalReference: string | null
  }
}

const EVENTOS_PAGOS = new Set(['PAYMENT_CONFIRMED', 'PAYMENT_RECEIVED'])

export default {
  async fetch(req: Request): Promise<Response> {
    if (req.method !== 'POST') {
      return new Response('Method not allowed', { status: 405 })
    }

    try {
      const body = (await req.json()) as AsaasWebhookEvent
      if (!EVENTOS_PAGOS.has(body.event)) {
        return new Response(JSON.stringify({ received: true }), { status: 200 })
      }

      const { data: pagamento, error } = await supabaseAdmin
        .from('payments')
        .select('id, clinic_id, status')
        .eq('asaas_payment_id', body.payment.id)
        .maybeSingle()
      if (error) throw error
      if (!pagamento) {
        return new Response('Pagamento não encontrado', { status: 404 })
      }
      if (pagamento.status === 'paid') {
        return new Response(JSON.stringify({ received: true, duplicate: true }), { status: 200 })
      }

      const { error: updateError } = await supabaseAdmin
        .from('payments')
        .update({ status: 'paid', amount_cents: Math.round(body.payment.value * 100), paid_at: new Date().toISOString() })
        .eq('id', pagamento.id)
        .eq('clinic_id', pagamento.clinic_id)
      if (updateError) throw updateError

      console.info({
        event: 'asaas_payment_received',
        clinic_id: pagamento.clinic_id,
        payment_id: pagamento.id,
        at: new Date().toISOString(),
      })

      return new Response(JSON.stringify({ received: true }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      })
    } catch (err) {
      console.error('asaas-webhook: falha ao processar evento', err)
      return new Response('Internal error', { status: 500 })
    }
  },
}
