import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/require-tenant-scope.js';

const ruleTester = new RuleTester();
const fn = (name: string) => `supabase/functions/${name}/index.ts`;

const ADMIN = `import { createClient } from 'npm:@supabase/supabase-js@2';
const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
`;

ruleTester.run('require-tenant-scope', rule, {
  valid: [
    {
      name: 'Stripe webhook looks the clinic up by metadata, then writes with clinic.id',
      filename: fn('stripe-webhook'),
      code: `import Stripe from 'npm:stripe@17';
import { createClient } from 'jsr:@supabase/supabase-js@2';
const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!);
const supabaseAdmin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
Deno.serve(async (req) => {
  const body = await req.text();
  const event = await stripe.webhooks.constructEventAsync(body, req.headers.get('stripe-signature')!, Deno.env.get('STRIPE_WEBHOOK_SECRET')!);
  const session = event.data.object as Stripe.Checkout.Session;
  const { data: clinic } = await supabaseAdmin.from('clinics').select('id').eq('id', session.metadata?.clinic_id).single();
  if (!clinic) return new Response('unknown clinic', { status: 404 });
  await supabaseAdmin.from('payments').insert({ clinic_id: clinic.id, amount: session.amount_total, stripe_session_id: session.id });
  await supabaseAdmin.from('appointments').update({ status: 'paid' }).eq('clinic_id', clinic.id).eq('id', session.metadata?.appointment_id);
  return new Response('ok');
});`,
    },
    {
      name: 'WhatsApp webhook finds the clinic by instance name (pt-BR)',
      filename: fn('whatsapp-webhook'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const payload = await req.json();
  const { data: instancia } = await admin.from('whatsapp_instances').select('clinic_id').eq('instance_name', payload.instance).single();
  if (!instancia) return new Response('instância desconhecida', { status: 404 });
  await admin.from('mensagens').insert({ clinic_id: instancia.clinic_id, telefone_hash: payload.data.key.remoteJid, texto: payload.data.message });
  return new Response('ok');
});`,
    },
    {
      name: 'verified user → membership lookup → clinic id from the membership',
      filename: fn('create-appointment'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const jwt = req.headers.get('Authorization')!.replace('Bearer ', '');
  const { data: { user } } = await admin.auth.getUser(jwt);
  if (!user) return new Response('unauthorized', { status: 401 });
  const { data: membership } = await admin.from('clinic_members').select('clinic_id').eq('user_id', user.id).single();
  const { patient_id, starts_at } = await req.json();
  await admin.from('appointments').insert({ clinic_id: membership!.clinic_id, patient_id, starts_at });
  return Response.json({ ok: true }, { status: 201 });
});`,
    },
    {
      name: 'tenant id from the body checked against the membership table before the write',
      filename: fn('cancel-appointment'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { data: { user } } = await admin.auth.getUser(req.headers.get('Authorization')!.slice(7));
  const { clinicId, appointmentId } = await req.json();
  const { data: member } = await admin.from('clinic_members').select('role').eq('user_id', user!.id).eq('clinic_id', clinicId).maybeSingle();
  if (!member) return new Response('forbidden', { status: 403 });
  await admin.from('appointments').delete().eq('clinic_id', clinicId).eq('id', appointmentId);
  return new Response(null, { status: 204 });
});`,
    },
    {
      name: 'a user client (RLS applies) is not this rule\'s concern',
      filename: fn('update-patient'),
      code: `import { createClient } from 'https://esm.sh/@supabase/supabase-js@2';
Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
    global: { headers: { Authorization: req.headers.get('Authorization')! } },
  });
  const body = await req.json();
  await supabase.from('patients').update(body).eq('id', body.id);
  return new Response('ok');
});`,
    },
    {
      name: 'reads are not checked by default',
      filename: fn('daily-report'),
      code: `${ADMIN}Deno.serve(async () => {
  const { data } = await admin.from('appointments').select('id, clinic_id, starts_at').gte('starts_at', new Date().toISOString());
  return Response.json(data);
});`,
    },
    {
      name: 'the tenant table itself is not scoped by its own column',
      filename: fn('stripe-webhook'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { data: clinic } = await admin.from('clinics').select('id').eq('stripe_customer_id', 'cus_123').single();
  await admin.from('clinics').update({ plan: 'pro' }).eq('id', clinic!.id);
  return new Response('ok');
});`,
    },
    {
      name: 'tables outside settings.tenantTables are not checked',
      filename: fn('sync-cid'),
      settings: { supagate: { tenantTables: ['appointments', 'patients'] } },
      code: `${ADMIN}Deno.serve(async () => {
  await admin.from('cid10_codes').upsert([{ code: 'A00', description: 'Cólera' }]);
  return new Response('ok');
});`,
    },
    {
      name: 'arrays of rows built with map, each with the clinic id from a lookup',
      filename: fn('import-pacientes'),
      code: `${ADMIN}export default {
  async fetch(req: Request) {
    const { data: clinica } = await admin.from('clinics').select('id').eq('api_key_hash', req.headers.get('x-api-key-hash')).single();
    const { pacientes } = await req.json();
    const linhas = pacientes.map((p: { nome: string }) => ({ clinic_id: clinica!.id, nome_hash: p.nome }));
    await admin.from('patients').insert(linhas);
    return new Response('ok');
  },
};`,
    },
    {
      name: 'rows pushed into an array, shorthand from a lookup, spread of an object that carries the key',
      filename: fn('bulk-reminders'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { data: clinic } = await admin.from('clinics').select('id').eq('slug', new URL(req.url).searchParams.get('clinic')).single();
  const clinic_id = clinic!.id;
  const base = { clinic_id, channel: 'whatsapp' };
  const rows = [];
  for (const a of ['a1', 'a2']) rows.push({ ...base, appointment_id: a });
  await admin.from('reminders').insert(rows);
  return new Response('ok');
});`,
    },
    {
      name: 'Hono route with match({ clinic_id }) and filter(col, eq, v) from the verified user',
      filename: fn('api'),
      code: `import { Hono } from 'jsr:@hono/hono';
import { supabaseAdmin } from '../_shared/supabaseAdmin.ts';
const app = new Hono();
app.delete('/api/patients/:id', async (c) => {
  const { data: { user } } = await supabaseAdmin.auth.getUser(c.req.header('Authorization')!.slice(7));
  const clinic_id = user!.app_metadata.clinic_id;
  await supabaseAdmin.from('patients').delete().match({ clinic_id, id: c.req.param('id') });
  await supabaseAdmin.from('appointments').update({ status: 'cancelled' }).filter('clinic_id', 'eq', clinic_id).eq('patient_id', c.req.param('id'));
  return c.body(null, 204);
});
Deno.serve(app.fetch);`,
    },
    {
      name: 'in() with exactly one tenant counts as a scope',
      filename: fn('archive'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { data: membership } = await admin.from('clinic_members').select('clinic_id').eq('user_id', 'u').single();
  await admin.from('appointments').update({ archived: true }).in('clinic_id', [membership!.clinic_id]).lt('starts_at', '2024-01-01');
  return new Response('ok');
});`,
    },
    {
      name: 'query built through a variable, scoped later',
      filename: fn('purge'),
      code: `${ADMIN}serve(async (req) => {
  const { data: clinic } = await admin.from('clinics').select('id').eq('owner_id', 'x').single();
  let query = admin.from('sessions').delete();
  query = query.eq('clinic_id', clinic!.id);
  await query;
  return new Response('ok');
});`,
    },
    {
      name: 'rows built elsewhere are trusted by default (documented), tenant from env is fine',
      filename: fn('seed'),
      code: `${ADMIN}import { buildRows } from '../_shared/rows.ts';
Deno.serve(async (req) => {
  await admin.from('services').insert(buildRows());
  await admin.from('audit_log').insert({ clinic_id: Deno.env.get('DEFAULT_CLINIC_ID'), action: 'seed' });
  return new Response('ok');
});`,
    },
    {
      name: 'tenant id from the body compared to the user\'s clinic before the write',
      filename: fn('update-horario'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { data: { user } } = await admin.auth.getUser(req.headers.get('Authorization')!.slice(7));
  const { clinica_id, horario } = await req.json();
  if (clinica_id !== user!.app_metadata.clinic_id) return new Response('proibido', { status: 403 });
  await admin.from('horarios').upsert({ clinic_id: clinica_id, horario });
  return new Response('ok');
});`,
    },
    {
      name: 'assert helper with the tenant id counts as a check',
      filename: fn('notes'),
      code: `${ADMIN}import { assertClinicMember } from '../_shared/auth.ts';
Deno.serve(async (req) => {
  const body = await req.json();
  await assertClinicMember(req, body.clinic_id);
  await admin.from('notes').insert({ clinic_id: body.clinic_id, text: body.text });
  return new Response('ok');
});`,
    },
    {
      name: 'custom tenant column from settings',
      filename: fn('org-invite'),
      settings: { supagate: { tenantColumn: 'organization_id' } },
      code: `${ADMIN}Deno.serve(async (req) => {
  const { data: org } = await admin.from('organizations').select('id').eq('slug', 'acme').single();
  await admin.from('invites').insert({ organization_id: org!.id, email_hash: 'x' });
  await admin.from('organizations').update({ seats: 3 }).eq('id', org!.id);
  return new Response('ok');
});`,
    },
    {
      name: 'update by the primary key of a row read from the database (Asaas webhook)',
      filename: fn('asaas-webhook'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { payment } = await req.json();
  const { data: pagamento } = await admin.from('appointment_payments').select('id, appointment_id').eq('asaas_charge_id', payment.id).single();
  if (!pagamento) return new Response('ok');
  await admin.from('appointment_payments').update({ status: 'RECEIVED' }).eq('id', pagamento.id);
  return new Response('ok');
});`,
    },
  ],
  invalid: [
    {
      name: 'update of appointments not filtered by clinic_id',
      filename: fn('stripe-webhook'),
      code: `import { supabaseAdmin } from '../_shared/supabaseAdmin.ts';
Deno.serve(async (req) => {
  const appointmentId = new URL(req.url).searchParams.get('id');
  await supabaseAdmin.from('appointments').update({ status: 'paid' }).eq('id', appointmentId);
  return new Response('ok');
});`,
      errors: [
        {
          messageId: 'unscopedFilter',
          line: 4,
          column: 44,
          data: { client: 'supabaseAdmin', verb: 'this update of', table: 'appointments', column: 'clinic_id', variable: 'clinicId' },
        },
      ],
    },
    {
      name: 'delete without any filter (Deno.serve with options)',
      filename: fn('reset-agenda'),
      code: `${ADMIN}Deno.serve({ port: 8000 }, async (req) => {
  await admin.from('agendamentos').delete().neq('id', 0);
  return new Response('ok');
});`,
      errors: [{ messageId: 'unscopedFilter', line: 4, column: 36 }],
    },
    {
      name: 'insert of a row without clinic_id',
      filename: fn('create-patient'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { nome, cpf_hash } = await req.json();
  await admin.from('pacientes').insert({ nome, cpf_hash });
  return new Response('ok', { status: 201 });
});`,
      errors: [{ messageId: 'rowWithoutTenant', line: 5, column: 40 }],
    },
    {
      name: 'clinic_id straight from the request body',
      filename: fn('create-appointment'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const body = await req.json();
  await admin.from('appointments').insert({ clinic_id: body.clinic_id, patient_id: body.patient_id });
  return new Response('ok');
});`,
      errors: [
        {
          messageId: 'tenantFromRequest',
          line: 5,
          column: 56,
          data: { column: 'clinic_id', where: 'the request body', path: 'body.clinic_id', tenant: 'clinic' },
        },
      ],
    },
    {
      name: 'destructured and renamed clinicId from the body used in a filter',
      filename: fn('cancel-appointment'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { clinic_id: clinicId, id } = await req.json();
  await admin.from('appointments').delete().eq('clinic_id', clinicId).eq('id', id);
  return new Response(null, { status: 204 });
});`,
      errors: [{ messageId: 'tenantFromRequest', line: 5, column: 61 }],
    },
    {
      name: 'whole request body inserted as is',
      filename: fn('webhook-lead'),
      code: `${ADMIN}serve(async (req) => {
  const lead = await req.json();
  await admin.from('leads').insert(lead);
  return new Response('ok');
});`,
      errors: [
        {
          messageId: 'rowFromRequest',
          line: 5,
          column: 36,
          data: { verb: 'this insert into', table: 'leads', path: 'lead', where: 'the request body', column: 'clinic_id', client: 'admin', variable: 'clinicId' },
        },
      ],
    },
    {
      name: 'spread of the body with clinic_id from it (export default fetch)',
      filename: fn('save-prontuario'),
      code: `${ADMIN}export default {
  fetch: async (req: Request) => {
    const dados = await req.json();
    await admin.from('prontuarios').upsert({ ...dados, updated_at: new Date().toISOString() });
    return new Response('ok');
  },
};`,
      errors: [{ messageId: 'rowFromRequest', line: 6, column: 44 }],
    },
    {
      name: 'Stripe metadata used directly (webhook payload, no lookup)',
      filename: fn('stripe-webhook'),
      code: `import Stripe from 'https://esm.sh/stripe@14?target=denonext';
import { createClient } from 'https://esm.sh/@supabase/supabase-js@2';
const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!);
const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
Deno.serve(async (req) => {
  const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get('stripe-signature')!, Deno.env.get('STRIPE_WEBHOOK_SECRET')!);
  const session = event.data.object;
  await supabase.from('payments').insert({ clinic_id: session.metadata.clinic_id, amount: session.amount_total });
  return new Response('ok');
});`,
      errors: [
        {
          messageId: 'tenantFromRequest',
          line: 8,
          column: 55,
          data: { column: 'clinic_id', where: 'the webhook payload', path: 'session.metadata.clinic_id', tenant: 'clinic' },
        },
      ],
    },
    {
      name: 'Hono route: tenant from a path param, and an update without filter',
      filename: fn('api'),
      code: `import { Hono } from 'npm:hono';
import { createClient } from 'npm:@supabase/supabase-js@2';
const app = new Hono();
const db = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SECRET_KEY')!);
app.post('/clinics/:clinicId/patients', async (c) => {
  const payload = await c.req.json();
  await db.from('patients').insert({ clinic_id: c.req.param('clinicId'), nome: payload.nome });
  await db.from('patients').update({ active: true }).eq('nome', payload.nome);
  return c.json({ ok: true }, 201);
});
Deno.serve(app.fetch);`,
      errors: [
        { messageId: 'tenantFromRequest', line: 7, column: 49 },
        { messageId: 'unscopedFilter', line: 8, column: 29 },
      ],
    },
    {
      name: 'query-string clinic id',
      filename: fn('export-csv'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const url = new URL(req.url);
  const clinicId = url.searchParams.get('clinic_id');
  await admin.from('exports').insert({ clinic_id: clinicId, status: 'queued' });
  return new Response('ok');
});`,
      errors: [{ messageId: 'tenantFromRequest', line: 6, column: 51 }],
    },
    {
      name: 'clinic id from user_metadata (editable by the user)',
      filename: fn('invite-staff'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { data: { user } } = await admin.auth.getUser(req.headers.get('Authorization')!.slice(7));
  await admin.from('invites').insert({ clinic_id: user!.user_metadata.clinic_id, role: 'staff' });
  return new Response('ok');
});`,
      errors: [{ messageId: 'tenantFromRequest', line: 5, column: 51 }],
    },
    {
      name: 'array of rows: one lacks clinic_id',
      filename: fn('seed-agenda'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { data: clinic } = await admin.from('clinics').select('id').eq('slug', 'demo').single();
  await admin.from('slots').insert([
    { clinic_id: clinic!.id, starts_at: '09:00' },
    { starts_at: '10:00' },
  ]);
  return new Response('ok');
});`,
      errors: [{ messageId: 'rowWithoutTenant', line: 7, column: 5 }],
    },
    {
      name: 'row variable without the key (reported at the argument)',
      filename: fn('log-event'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const evento = { tipo: 'login', criado_em: new Date().toISOString() };
  await admin.from('eventos').insert(evento);
  return new Response('ok');
});`,
      errors: [{ messageId: 'rowWithoutTenant', line: 5, column: 38 }],
    },
    {
      name: 'match() without the tenant column and upsert from a formData field',
      filename: fn('form-intake'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const form = await req.formData();
  await admin.from('triagens').delete().match({ id: form.get('id') });
  await admin.from('triagens').upsert({ clinic_id: form.get('clinic_id'), sintomas: form.get('sintomas') });
  return new Response('ok');
});`,
      errors: [
        { messageId: 'unscopedFilter', line: 5, column: 32 },
        { messageId: 'tenantFromRequest', line: 6, column: 52 },
      ],
    },
    {
      name: 'in() with a list of tenants is not a scope',
      filename: fn('bulk-cancel'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { clinicIds } = await req.json();
  await admin.from('appointments').update({ status: 'cancelled' }).in('clinic_id', clinicIds);
  return new Response('ok');
});`,
      errors: [{ messageId: 'unscopedFilter', line: 5, column: 36 }],
    },
    {
      name: 'checkReads: a service-role read without the tenant filter',
      filename: fn('list-patients'),
      options: [{ checkReads: true }],
      code: `${ADMIN}Deno.serve(async (req) => {
  const { data } = await admin.from('patients').select('id, nome');
  return Response.json(data);
});`,
      errors: [{ messageId: 'unscopedFilter', line: 4, column: 49 }],
    },
    {
      name: 'unknownRows: report rows built elsewhere',
      filename: fn('sync'),
      options: [{ unknownRows: 'report' }],
      code: `${ADMIN}import { buildRows } from '../_shared/rows.ts';
Deno.serve(async (req) => {
  await admin.from('services').insert(buildRows());
  return new Response('ok');
});`,
      errors: [{ messageId: 'rowUnknown', line: 5, column: 39 }],
    },
    {
      name: 'helper named adminClient() and a clinic id from a header',
      filename: fn('kiosk-checkin'),
      code: `import { adminClient } from '../_shared/db.ts';
Deno.serve(async (req) => {
  const clinicId = req.headers.get('x-clinic-id');
  await adminClient().from('checkins').insert({ clinic_id: clinicId, at: new Date().toISOString() });
  return new Response('ok');
});`,
      errors: [{ messageId: 'tenantFromRequest', line: 4, column: 60 }],
    },
    {
      name: 'let body assigned in try, used after',
      filename: fn('save-note'),
      code: `${ADMIN}Deno.serve(async (req) => {
  let body;
  try {
    body = await req.json();
  } catch {
    return new Response('bad json', { status: 400 });
  }
  await admin.from('notes').insert({ clinic_id: body.clinicId, text: body.text });
  return new Response('ok');
});`,
      errors: [{ messageId: 'tenantFromRequest', line: 10, column: 49 }],
    },
    {
      name: 'body items mapped into rows with their own clinic id',
      filename: fn('import-agenda'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { items } = await req.json();
  await admin.from('appointments').insert(items.map((item) => ({ clinic_id: item.clinic_id, starts_at: item.starts_at })));
  return new Response('ok');
});`,
      errors: [{ messageId: 'tenantFromRequest', line: 5, column: 77 }],
    },
  ],
});
