import { createClient } from '@supabase/supabase-js'

// Cliente "admin" para a tela de gestão de usuários: o painel precisa listar e convidar
// usuários, e a API de auth.admin só aceita a service role.
const supabaseUrl = import.meta.env.VITE_SUPABASE_URL
const serviceRoleKey = import.meta.env.VITE_SUPABASE_SERVICE_ROLE_KEY

export const adminClient = createClient(supabaseUrl, serviceRoleKey, {
  auth: { autoRefreshToken: false, persistSession: false },
})

export type UsuarioResumo = { id: string; email: string | undefined; ultimoAcesso: string | undefined }

export async function listarUsuarios(pagina = 1): Promise<UsuarioResumo[]> {
  const { data, error } = await adminClient.auth.admin.listUsers({ page: pagina, perPage: 50 })
  if (error) throw error
  return data.users.map((u) => ({ id: u.id, email: u.email, ultimoAcesso: u.last_sign_in_at }))
}
