import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/no-pii-in-logs.js';

const ruleTester = new RuleTester();
const fn = (name: string) => `supabase/functions/${name}/index.ts`;
const lines = (...l: string[]) => l.join('\n');

ruleTester.run('no-pii-in-logs', rule, {
  valid: [
    // Ids, counts and flags about PII are not PII.
    {
      filename: fn('agendar-consulta'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { patient_id, email_verified, cpf_hash, masked_phone } = await req.json();`,
        `  console.log('agendando', { patient_id, email_verified, cpf_hash, masked_phone });`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // `.length`, booleans and typeof of PII.
    {
      filename: fn('importar-pacientes'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { pacientes, email } = await req.json();`,
        '  console.log(`importando ${pacientes.length} pacientes`, !!email, typeof email, email?.includes("@"));',
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Sanitizers clear it: built-in prefixes.
    {
      filename: fn('cadastrar-paciente'),
      code: lines(
        `import { maskCpf, redactEmail } from '../_shared/mask.ts';`,
        `Deno.serve(async (req) => {`,
        `  const { cpf, email } = await req.json();`,
        '  console.info(`novo paciente cpf=${maskCpf(cpf)} email=${redactEmail(email)}`);',
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Sanitizers from settings.
    {
      filename: fn('send-sms'),
      settings: { supagate: { sanitizers: ['ocultar*'] } },
      code: lines(
        `export default {`,
        `  async fetch(req: Request) {`,
        `    const { phone } = await req.json();`,
        `    console.log('sms to', ocultarTelefone(phone));`,
        `    return new Response('ok');`,
        `  },`,
        `};`,
      ),
    },
    // A caught error stays allowed.
    {
      filename: fn('stripe-webhook'),
      code: lines(
        `import Stripe from 'npm:stripe@14';`,
        `Deno.serve(async (req) => {`,
        `  try {`,
        `    const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get('stripe-signature')!, secret);`,
        `    console.log('stripe event', event.type, event.id);`,
        `  } catch (err) {`,
        `    console.error(err);`,
        `    console.error('webhook failed:', err.message);`,
        `    return new Response('bad signature', { status: 400 });`,
        `  }`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // `name` of things is not a person's name.
    {
      filename: fn('process-upload'),
      code: lines(
        `import { serve } from 'https://deno.land/std@0.168.0/http/server.ts';`,
        `serve(async (req) => {`,
        `  const { record } = await req.json();`,
        `  const file = await getFile(record.path);`,
        `  console.log('processing', file.name, bucket.name, event.type, table_name, functionName);`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Webhook ids and metadata fields are fine.
    {
      filename: fn('stripe-webhook'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const event = await stripe.webhooks.constructEventAsync(await req.text(), sig, secret);`,
        `  const session = event.data.object;`,
        `  console.log('checkout completed', session.id, session.metadata.clinic_id, session.amount_total);`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Query selecting no PII columns.
    {
      filename: fn('lembretes'),
      code: lines(
        `import { createClient } from 'jsr:@supabase/supabase-js@2';`,
        `const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);`,
        `Deno.serve(async () => {`,
        `  const { data: consultas, error } = await supabase.from('consultas').select('id, starts_at, clinic_id');`,
        `  console.log('consultas', consultas, error);`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Hono: structured log of ids only.
    {
      filename: fn('api'),
      code: lines(
        `import { Hono } from 'jsr:@hono/hono';`,
        `const app = new Hono();`,
        `app.post('/patients', async (c) => {`,
        `  const body = await c.req.json();`,
        `  console.log(JSON.stringify({ msg: 'patient created', clinicId: body.clinic_id, patientId: body.patient_id }));`,
        `  return c.json({ ok: true });`,
        `});`,
        `Deno.serve(app.fetch);`,
      ),
    },
    // LLM token counts are not tokens.
    {
      filename: fn('resumo-ia'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const completion = await openai.chat.completions.create({ model, messages });`,
        `  console.log('usage', completion.usage.total_tokens, completion.usage.prompt_tokens, max_tokens);`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Deno.serve(opts, handler): non-secret env and headers.
    {
      filename: fn('health'),
      code: lines(
        `Deno.serve({ port: 8000 }, async (req) => {`,
        `  console.log(Deno.env.get('SUPABASE_URL'), req.headers.get('content-type'), req.method, req.url);`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Logger objects with safe arguments.
    {
      filename: fn('whatsapp-webhook'),
      code: lines(
        `import { logger } from '../_shared/logger.ts';`,
        `Deno.serve(async (req) => {`,
        `  const { instance, messageId, clinicId } = await req.json();`,
        `  logger.info('message received', { instance, messageId, clinicId });`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Values replaced by literals.
    {
      filename: fn('enviar-email'),
      code: lines(
        `const senderEmail = 'no-reply@clinica.com.br';`,
        `Deno.serve(async () => {`,
        `  console.log('sending from', senderEmail);`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Not a logger: Math.log, other calls.
    {
      filename: fn('score'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { email, cpf } = await req.json();`,
        `  const score = Math.log(cpf.length);`,
        `  await sendWelcome(email);`,
        `  return new Response(String(score));`,
        `});`,
      ),
    },
    // Options: whole records not checked, ignored console methods.
    {
      filename: fn('debug-lead'),
      options: [{ checkRecords: false, ignoreMethods: ['debug'] }],
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const body = await req.json();`,
        `  console.log('body', body);`,
        `  console.debug('email', body.email);`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Vetoes from settings.
    {
      filename: fn('seed'),
      settings: { supagate: { pii: { veto: ['demo'] } } },
      code: lines(`Deno.serve(async () => {`, `  console.log('seeding', demoEmail, demoCpf);`, `  return new Response('ok');`, `});`),
    },
    // Slices of a value are a mask.
    {
      filename: fn('confirmar-telefone'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { telefone } = await req.json();`,
        '  console.log(`código enviado para ***${telefone.slice(-4)}`);',
        `  return new Response('ok');`,
        `});`,
      ),
    },
    // Ids and amounts read from webhook payloads, names of lists built from records.
    {
      filename: fn('stripe-webhook'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const event = await stripe.webhooks.constructEventAsync(await req.text(), sig, secret);`,
        `  const invoice = event.data.object;`,
        `  const customerId = invoice.customer;`,
        `  const { data: rows } = await supabase.from('pacientes').select('id, nome');`,
        `  const ids = rows.map((r) => r.id);`,
        `  console.log('invoice paid', customerId, invoice.amount_paid, ids.join(','));`,
        `  return new Response('ok');`,
        `});`,
      ),
    },
  ],
  invalid: [
    // The example of the issue.
    {
      filename: fn('stripe-webhook'),
      code: lines(
        `import Stripe from 'https://esm.sh/stripe@14?target=denonext';`,
        `Deno.serve(async (req) => {`,
        `  const event = await stripe.webhooks.constructEventAsync(await req.text(), sig, secret);`,
        `  const session = event.data.object as Stripe.Checkout.Session;`,
        `  console.log('checkout for', session.customer_details.email);`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'pii', line: 5, column: 31, data: { what: '`session.customer_details.email`', label: 'e-mail' } }],
    },
    // `console.error('x', { email })` is flagged at the property.
    {
      filename: fn('signup'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  try {`,
        `    const { email, password } = await req.json();`,
        `    await supabase.auth.signUp({ email, password });`,
        `  } catch (err) {`,
        `    console.error('signup failed', { email, err });`,
        `  }`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'pii', line: 6, column: 38 }],
    },
    // Template parts, pt-BR names.
    {
      filename: fn('cadastrar-paciente'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { nome_completo, cpf, data_nascimento } = await req.json();`,
        '  console.log(`Paciente ${nome_completo} (${cpf}) nascido em ${data_nascimento}`);',
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [
        { messageId: 'pii', line: 3, column: 27 },
        { messageId: 'pii', line: 3, column: 45 },
        { messageId: 'pii', line: 3, column: 64 },
      ],
    },
    // Destructuring with renaming, then concatenation.
    {
      filename: fn('lembrete-whatsapp'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { telefone: destino, mensagem } = await req.json();`,
        `  console.log('enviando para ' + destino, mensagem.length);`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'pii', line: 3, column: 34, data: { what: '`destino`, which holds `req.json().telefone`', label: 'phone number' } }],
    },
    // Whole request body.
    {
      filename: fn('lead-form'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const body = await req.json();`,
        `  console.log('lead recebido', body);`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'record', line: 3, column: 32, data: { what: '`body`, which holds `req.json()`', label: 'the whole request body' } }],
    },
    // JSON.stringify of the body, std serve.
    {
      filename: fn('webhook-evolution'),
      code: lines(
        `import { serve } from 'https://deno.land/std@0.168.0/http/server.ts';`,
        `serve(async (req) => {`,
        `  const payload = await req.json();`,
        '  console.log(`payload: ${JSON.stringify(payload)}`);',
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'record', line: 4, column: 42 }],
    },
    // Hono: c.req.json() body and person record.
    {
      filename: fn('api'),
      code: lines(
        `import { Hono } from 'npm:hono@4';`,
        `const app = new Hono();`,
        `app.post('/pacientes', async (c) => {`,
        `  const paciente = await c.req.json();`,
        `  console.log('criando paciente', paciente);`,
        `  return c.json({ ok: true });`,
        `});`,
      ),
      errors: [{ messageId: 'record', line: 5, column: 35 }],
    },
    // export default { fetch }: spread of a record into a log object.
    {
      filename: fn('update-profile'),
      code: lines(
        `export default {`,
        `  async fetch(req: Request) {`,
        `    const data = await req.json();`,
        `    console.log({ event: 'profile.update', ...data });`,
        `    return new Response('ok');`,
        `  },`,
        `};`,
      ),
      errors: [{ messageId: 'record', line: 4, column: 47 }],
    },
    // Query selecting PII columns.
    {
      filename: fn('lembretes'),
      code: lines(
        `import { createClient } from 'jsr:@supabase/supabase-js@2';`,
        `const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);`,
        `Deno.serve(async () => {`,
        `  const { data: pacientes } = await supabase.from('pacientes').select('id, nome, telefone').eq('clinic_id', clinicId);`,
        `  console.log('enviando lembretes para', pacientes);`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'record', line: 5, column: 42, data: { what: "`pacientes`, which holds `from('pacientes')`", label: 'rows with nome, telefone' } }],
    },
    // Loop over a people table: name on a person.
    {
      filename: fn('aniversariantes'),
      code: lines(
        `Deno.serve(async () => {`,
        `  const { data: rows } = await supabase.from('patients').select('*');`,
        `  for (const p of rows ?? []) {`,
        `    console.log('happy birthday', p.name);`,
        `  }`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'pii', line: 4, column: 35, data: { what: '`p.name`', label: 'name' } }],
    },
    // Authorization header.
    {
      filename: fn('me'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const authHeader = req.headers.get('Authorization');`,
        `  console.log('auth header:', authHeader);`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'credential', line: 3, column: 31 }],
    },
    // Secrets from the environment.
    {
      filename: fn('stripe-checkout'),
      code: lines(
        `const stripeKey = Deno.env.get('STRIPE_SECRET_KEY');`,
        `Deno.serve(async () => {`,
        `  console.log('using key', stripeKey, Deno.env.get('RESEND_API_KEY'));`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [
        { messageId: 'credential', line: 3, column: 28, data: { what: "`stripeKey`, which holds `Deno.env.get('STRIPE_SECRET_KEY')`", label: 'secret' } },
        { messageId: 'credential', line: 3, column: 39 },
      ],
    },
    // Configured logger object and function.
    {
      filename: fn('reset-password'),
      settings: { supagate: { loggers: ['logger', 'log', 'trace'] } },
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { email, newPassword } = await req.json();`,
        `  logger.warn('password reset', email);`,
        `  trace('new password', newPassword);`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [
        { messageId: 'pii', line: 3, column: 33 },
        { messageId: 'credential', line: 4, column: 25 },
      ],
    },
    // Auth user record and a field of it.
    {
      filename: fn('get-profile'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { data: { user } } = await supabase.auth.getUser(req.headers.get('Authorization')!.replace('Bearer ', ''));`,
        `  console.log('user', user, user?.id);`,
        `  console.log('phone', user.phone);`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [
        { messageId: 'record', line: 3, column: 23 },
        { messageId: 'pii', line: 4, column: 24 },
      ],
    },
    // Extra PII words from settings, health data.
    {
      filename: fn('prontuario'),
      settings: { supagate: { pii: { extra: ['queixa_principal'] } } },
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { queixaPrincipal, diagnostico, cartao_sus } = await req.json();`,
        `  console.log(queixaPrincipal, diagnostico, cartao_sus);`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [
        { messageId: 'pii', line: 3, column: 15 },
        { messageId: 'pii', line: 3, column: 32 },
        { messageId: 'pii', line: 3, column: 45 },
      ],
    },
    // Object literal built from PII, then logged.
    {
      filename: fn('create-customer'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { name, email, phone } = await req.json();`,
        `  const customer = await stripe.customers.create({ name, email, phone });`,
        `  const logData = { customerId: customer.id, contato: phone };`,
        `  console.log(logData);`,
        `  console.log(customer);`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [
        { messageId: 'pii', line: 5, column: 15, data: { what: '`logData`, which holds `phone`', label: 'phone number' } },
        { messageId: 'record', line: 6, column: 15 },
      ],
    },
    // Database webhook row.
    {
      filename: fn('on-patient-insert'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const { type, table, record } = await req.json();`,
        `  console.log(type, table, record);`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'record', line: 3, column: 28 }],
    },
    // Key named PII with an unknown value.
    {
      filename: fn('notify'),
      code: lines(
        `async function notify(to: string, text: string) {`,
        `  console.log(JSON.stringify({ level: 'info', email: to, text }));`,
        `}`,
      ),
      errors: [{ messageId: 'pii', line: 2, column: 47 }],
    },
    // Names mapped out of a people table.
    {
      filename: fn('relatorio'),
      code: lines(
        `Deno.serve(async () => {`,
        `  const { data: pacientes } = await supabase.from('pacientes').select('*');`,
        `  const nomes = pacientes.map((p) => p.nome);`,
        `  console.log('pacientes do dia', nomes.join(', '));`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'pii', line: 4, column: 35, data: { what: "`nomes.join(', ')`, which holds `p.nome`", label: 'name' } }],
    },
  ],
});
