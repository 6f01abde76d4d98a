import { createClient, type SupabaseClient } from 'https://esm.sh/@supabase/supabase-js@2'

/**
 * Cliente com a service role: ignora RLS. Use só em webhooks e rotinas internas,
 * e sempre filtre pela clínica (`clinic_id`) nas escritas.
 */
export const supabaseAdmin: SupabaseClient = createClient(
  Deno.env.get('SUPABASE_URL')!,
  Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!,
  { auth: { persistSession: false, autoRefreshToken: false } },
)
