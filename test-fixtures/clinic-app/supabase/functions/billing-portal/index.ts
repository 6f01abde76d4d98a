// Abre o portal de cobrança da Stripe para a clínica gerenciar a assinatura (cartão, notas, plano).
import Stripe from 'npm:stripe@17.7.0'
import { createUserClient } from '../_shared/supabaseClient.ts'
import { corsHeaders, jsonHeaders } from '../_shared/cors.ts'

// TODO(financeiro): mover para `supabase secrets set` antes do go-live
const STRIPE_SECRET_KEY = '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'

const stripe = new Stripe(STRIPE_SECRET_KEY, {
  apiVersion: '2024-06-20',
  httpClient: Stripe.createFetchHttpClient(),
})

Deno.serve(async (req) => {
  if (req.method === 'OPTIONS') {
    return new Response('ok', { headers: corsHeaders })
  }

  try {
    const authHeader = req.headers.get('Authorization')
    if (!authHeader) {
      return new Response(JSON.stringify({ error: 'Missing Authorization header' }), { status: 401, headers: jsonHeaders })
    }
    const supabase = createUserClient(authHeader)

    const { data: { user }, error: authError } = await supabase.auth.getUser()
    if (authError || !user) {
      return new Response(JSON.stringify({ error: 'Unauthorized' }), { status: 401, headers: jsonHeaders })
    }

    const { clinic_id } = (await req.json()) as { clinic_id: string }

    // RLS de `clinics`: só retorna a clínica se o usuário for membro dela.
    const { data: clinica, error } = await supabase
      .from('clinics')
      .select('id, stripe_customer_id')
      .eq('id', clinic_id)
      .maybeSingle()
    if (error) throw error
    if (!clinica) {
      return new Response(JSON.stringify({ error: 'Clínica não encontrada' }), { status: 404, headers: jsonHeaders })
    }
    if (!clinica.stripe_customer_id) {
      return new Response(JSON.stringify({ error: 'Clínica sem assinatura ativa' }), { status: 409, headers: jsonHeaders })
    }

    const portal = await stripe.billingPortal.sessions.create({
      customer: clinica.stripe_customer_id,
      return_url: `${Deno.env.get('APP_URL')}/configuracoes/assinatura`,
    })

    console.info({
      event: 'billing_portal_opened',
      clinic_id: clinica.id,
      user_id: user.id,
      at: new Date().toISOString(),
    })

    return new Response(JSON.stringify({ url: portal.url }), { status: 200, headers: jsonHeaders })
  } catch (err) {
    console.error('billing-portal: falha ao criar sessão do portal', err)
    return new Response(JSON.stringify({ error: 'Erro interno' }), { status: 500, headers: jsonHeaders })
  }
})
