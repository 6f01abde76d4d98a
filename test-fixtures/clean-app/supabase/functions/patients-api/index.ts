// API de pacientes do painel (Hono). Todas as consultas usam o JWT de quem chamou: o RLS isola as clínicas.
// Erros sobem para app.onError, que registra e responde 500.
import { Hono } from 'jsr:@hono/hono@^4.6'
import { cors } from 'jsr:@hono/hono@^4.6/cors'
import { createClient, type SupabaseClient } from 'jsr:@supabase/supabase-js@2'

type NovoPaciente = {
  clinic_id: string
  nome: string
  cpf: string
  telefone: string
  email?: string
}

function clientFor(authorization: string): SupabaseClient {
  return createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
    global: { headers: { Authorization: authorization } },
  })
}

const app = new Hono().basePath('/patients-api')

app.use('*', cors())

app.get('/patients', async (c) => {
  const authorization = c.req.header('Authorization')
  if (!authorization) {
    return c.json({ error: 'Não autenticado' }, 401)
  }
  const supabase = clientFor(authorization)
  const busca = c.req.query('q') ?? ''
  const { data, error } = await supabase
    .from('patients')
    .select('id, nome, telefone, data_nascimento')
    .ilike('nome', `%${busca}%`)
    .order('nome')
    .limit(50)
  if (error) throw error
  return c.json({ patients: data })
})

app.post('/patients', async (c) => {
  const authorization = c.req.header('Authorization')
  if (!authorization) {
    return c.json({ error: 'Não autenticado' }, 401)
  }
  const supabase = clientFor(authorization)
  const novo = await c.req.json<NovoPaciente>()
  if (!novo.clinic_id || !novo.nome || !novo.cpf || !novo.telefone) {
    return c.json({ error: 'clinic_id, nome, cpf e telefone são obrigatórios' }, 400)
  }

  const { data: paciente, error } = await supabase
    .from('patients')
    .insert({
      clinic_id: novo.clinic_id,
      nome: novo.nome,
      cpf: novo.cpf.replace(/\D/g, ''),
      telefone: novo.telefone.replace(/\D/g, ''),
      email: novo.email ?? null,
    })
    .select('id, clinic_id')
    .single()
  if (error) throw error

  console.info({ event: 'patient_created', clinic_id: paciente.clinic_id, patient_id: paciente.id, at: new Date().toISOString() })
  return c.json({ id: paciente.id }, 201)
})

app.onError((err, c) => {
  console.error('patients-api: erro inesperado', err)
  return c.json({ error: 'Erro interno' }, 500)
})

Deno.serve(app.fetch)
