import { createClient } from 'npm:@supabase/supabase-js@2'

/** Service role: ignora RLS. Só para webhooks; toda escrita leva o clinic_id verificado. */
export const supabaseAdmin = createClient(
  Deno.env.get('SUPABASE_URL')!,
  Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!,
  { auth: { persistSession: false, autoRefreshToken: false } },
)
