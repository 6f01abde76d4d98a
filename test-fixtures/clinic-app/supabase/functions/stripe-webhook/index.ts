// Webhook da Stripe: registra o pagamento da assinatura da clínica.
// Público (verify_jwt = false em config.toml): a origem é provada pela assinatura Stripe-Signature.
import Stripe from 'npm:stripe@17.7.0'
import { supabaseAdmin } from '../_shared/supabaseAdmin.ts'

const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!, {
  apiVersion: '2024-06-20',
  httpClient: Stripe.createFetchHttpClient(),
})
// Deno não tem o crypto síncrono do Node: a verificação precisa ser assíncrona (SubtleCrypto).
const cryptoProvider = Stripe.createSubtleCryptoProvider()
const webhookSecret = Deno.env.get('STRIPE_WEBHOOK_SECRET')!

Deno.serve(async (req) => {
  const signature = req.headers.get('Stripe-Signature')
  if (!signature) {
    return new Response('Missing Stripe-Signature header', { status: 400 })
  }

  // O corpo cru é necessário para conferir a assinatura.
  const body = await req.text()

  let event: Stripe.Event
  try {
    event = await stripe.webhooks.constructEventAsync(body, signature, webhookSecret, undefined, cryptoProvider)
  } catch (err) {
    console.error('stripe-webhook: assinatura inválida', err)
    return new Response('Invalid signature', { status: 400 })
  }

  try {
    if (event.type !== 'checkout.session.completed') {
      return new Response(JSON.stringify({ received: true }), { status: 200 })
    }

    const session = event.data.object as Stripe.Checkout.Session
    const clinicId = session.metadata?.clinic_id
    if (!clinicId) {
      return new Response('checkout.session sem metadata.clinic_id', { status: 422 })
    }

    // Nunca confiar no metadata sozinho: a clínica precisa existir no banco.
    const { data: clinic, error: clinicError } = await supabaseAdmin
      .from('clinics')
      .select('id')
      .eq('id', clinicId)
      .maybeSingle()
    if (clinicError) throw clinicError
    if (!clinic) {
      return new Response('Unknown clinic', { status: 422 })
    }

    const { error: paymentError } = await supabaseAdmin.from('payments').upsert(
      {
        clinic_id: clinic.id,
        provider: 'stripe',
        stripe_event_id: event.id,
        stripe_checkout_session_id: session.id,
        amount_cents: session.amount_total ?? 0,
        currency: session.currency ?? 'brl',
        status: 'paid',
        paid_at: new Date().toISOString(),
      },
      { onConflict: 'stripe_event_id', ignoreDuplicates: true },
    )
    if (paymentError) throw paymentError

    console.info({
      event: 'stripe_payment_recorded',
      clinic_id: clinic.id,
      stripe_event_id: event.id,
      at: new Date().toISOString(),
    })

    return new Response(JSON.stringify({ received: true }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    })
  } catch (err) {
    console.error('stripe-webhook: falha ao processar evento', event.id, err)
    return new Response('Internal error', { status: 500 })
  }
})
