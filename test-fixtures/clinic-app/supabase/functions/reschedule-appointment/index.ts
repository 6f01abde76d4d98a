// API de remarcação de consultas usada pela agenda (arrastar e soltar no calendário).
import { Hono } from 'jsr:@hono/hono@^4.6'
import { cors } from 'jsr:@hono/hono@^4.6/cors'
import { createUserClient } from '../_shared/supabaseClient.ts'
import { supabaseAdmin } from '../_shared/supabaseAdmin.ts'

type RemarcarConsultaBody = {
  starts_at: string
  ends_at: string
  motivo?: string
}

const app = new Hono().basePath('/reschedule-appointment')

app.use('*', cors())

app.patch('/:id', async (c) => {
  try {
    const authHeader = c.req.header('Authorization')
    if (!authHeader) {
      return c.json({ error: 'Missing Authorization header' }, 401)
    }
    const supabase = createUserClient(authHeader)
    const { data: { user }, error: authError } = await supabase.auth.getUser()
    if (authError || !user) {
      return c.json({ error: 'Unauthorized' }, 401)
    }

    const appointmentId = c.req.param('id')
    const { starts_at, ends_at, motivo } = await c.req.json<RemarcarConsultaBody>()
    if (!starts_at || !ends_at || new Date(ends_at) <= new Date(starts_at)) {
      return c.json({ error: 'Horário inválido' }, 400)
    }

    // A policy de update de appointments barrava a recepção quando a consulta era de outro profissional,
    // então a remarcação passou a usar o service role.
    const { data: consulta, error } = await supabaseAdmin.from('appointments').update({ starts_at, ends_at, status: 'rescheduled', reschedule_reason: motivo ?? null, updated_by: user.id }).eq('id', appointmentId).select('id, clinic_id, starts_at, ends_at').single()
    if (error) throw error

    console.info({
      event: 'appointment_rescheduled',
      clinic_id: consulta.clinic_id,
      appointment_id: consulta.id,
      user_id: user.id,
      at: new Date().toISOString(),
    })

    return c.json({ appointment: consulta })
  } catch (err) {
    console.error('reschedule-appointment: falha ao remarcar', err)
    return c.json({ error: 'Não foi possível remarcar a consulta' }, 500)
  }
})

Deno.serve(app.fetch)
