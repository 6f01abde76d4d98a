// Stripe -> pagamentos da clínica. Público (verify_jwt = false): a assinatura prova a origem.
import Stripe from 'https://esm.sh/stripe@14.25.0?target=deno'
import { supabaseAdmin } from '../_shared/supabaseAdmin.ts'

const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!, {
  apiVersion: '2023-10-16',
  httpClient: Stripe.createFetchHttpClient(),
})
const cryptoProvider = Stripe.createSubtleCryptoProvider()

Deno.serve(async (req) => {
  const signature = req.headers.get('stripe-signature')
  if (!signature) {
    return new Response('Missing signature', { status: 400 })
  }
  const rawBody = await req.text()

  let event: Stripe.Event
  try {
    event = await stripe.webhooks.constructEventAsync(
      rawBody,
      signature,
      Deno.env.get('STRIPE_WEBHOOK_SECRET')!,
      undefined,
      cryptoProvider,
    )
  } catch (err) {
    console.error('stripe-webhook: assinatura inválida', err)
    return new Response('Invalid signature', { status: 400 })
  }

  try {
    if (event.type !== 'payment_intent.succeeded') {
      return new Response(JSON.stringify({ received: true }), { status: 200 })
    }

    const intent = event.data.object as Stripe.PaymentIntent
    const clinicId = intent.metadata.clinic_id
    if (!clinicId) {
      return new Response('payment_intent sem metadata.clinic_id', { status: 422 })
    }

    // O metadata vem da Stripe, mas a clínica ainda precisa existir aqui.
    const { data: clinic, error: clinicError } = await supabaseAdmin
      .from('clinics')
      .select('id')
      .eq('id', clinicId)
      .maybeSingle()
    if (clinicError) throw clinicError
    if (!clinic) {
      return new Response('Unknown clinic', { status: 422 })
    }

    const { error } = await supabaseAdmin.from('payments').upsert(
      {
        clinic_id: clinic.id,
        stripe_event_id: event.id,
        stripe_payment_intent_id: intent.id,
        amount_cents: intent.amount_received,
        currency: intent.currency,
        status: 'paid',
        paid_at: new Date(event.created * 1000).toISOString(),
      },
      { onConflict: 'stripe_event_id', ignoreDuplicates: true },
    )
    if (error) throw error

    console.info({
      event: 'payment_recorded',
      clinic_id: clinic.id,
      stripe_event_id: event.id,
      timestamp: new Date().toISOString(),
    })
    return new Response(JSON.stringify({ received: true }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    })
  } catch (err) {
    console.error('stripe-webhook: falha ao registrar pagamento', err)
    return new Response('Internal error', { status: 500 })
  }
})
