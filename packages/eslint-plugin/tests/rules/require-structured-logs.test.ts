import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/require-structured-logs.js';

const ruleTester = new RuleTester();
const fn = (name: string) => `supabase/functions/${name}/index.ts`;

const ADMIN = `import { createClient } from 'npm:@supabase/supabase-js@2';
const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
`;

ruleTester.run('require-structured-logs', rule, {
  valid: [
    {
      name: 'Stripe webhook: success event with clinic_id and ISO timestamp, catch logs the error',
      filename: fn('stripe-webhook'),
      code: `import Stripe from 'npm:stripe@17';
import { createClient } from 'jsr:@supabase/supabase-js@2';
const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!);
const supabaseAdmin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
Deno.serve(async (req) => {
  try {
    const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get('stripe-signature')!, Deno.env.get('STRIPE_WEBHOOK_SECRET')!);
    const session = event.data.object;
    const { data: clinic } = await supabaseAdmin.from('clinics').select('id').eq('id', session.metadata?.clinic_id).single();
    await supabaseAdmin.from('payments').insert({ clinic_id: clinic!.id, amount: session.amount_total });
    console.info({ event: 'payment.recorded', clinic_id: clinic!.id, at: new Date().toISOString() });
    return new Response('ok');
  } catch (err) {
    console.error('stripe-webhook failed', err);
    return new Response('error', { status: 500 });
  }
});`,
    },
    {
      name: 'JSON.stringify of an object with clinicId and Date.now()',
      filename: fn('send-reminder'),
      code: `import { Resend } from 'npm:resend';
const resend = new Resend(Deno.env.get('RESEND_API_KEY'));
Deno.serve(async (req) => {
  const { clinicId, appointmentId } = await req.json();
  await resend.emails.send({ from: 'a@b.c', to: 'x@y.z', subject: 'Lembrete', html: '<p>Oi</p>' });
  console.info(JSON.stringify({ evento: 'lembrete.enviado', clinicId, appointmentId, ts: Date.now() }));
  return new Response('ok');
});`,
    },
    {
      name: 'a handler that only reads needs no success event',
      filename: fn('list-appointments'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { data } = await admin.from('appointments').select('id, starts_at').eq('clinic_id', 'c1');
  return Response.json(data);
});`,
    },
    {
      name: 'local log helper that stamps the time (std serve)',
      filename: fn('whatsapp-webhook'),
      code: `import { serve } from 'https://deno.land/std@0.177.0/http/server.ts';
${ADMIN}function logEvent(event: string, data: Record<string, unknown>) {
  console.info(JSON.stringify({ event, ...data, at: new Date().toISOString() }));
}
serve(async (req) => {
  const payload = await req.json();
  const { data: inst } = await admin.from('whatsapp_instances').select('clinic_id').eq('instance_name', payload.instance).single();
  await admin.from('mensagens').insert({ clinic_id: inst!.clinic_id, texto: payload.text });
  logEvent('mensagem.recebida', { clinic_id: inst!.clinic_id });
  return new Response('ok');
});`,
    },
    {
      name: 'configured logger with info/error (export default fetch)',
      filename: fn('create-invoice'),
      code: `${ADMIN}import { logger } from '../_shared/logger.ts';
export default {
  async fetch(req: Request) {
    try {
      const { clinic_id, amount } = await req.json();
      await admin.from('invoices').insert({ clinic_id, amount });
      logger.info({ msg: 'invoice.created', clinic_id, timestamp: new Date().toISOString() });
      return new Response('ok', { status: 201 });
    } catch (error) {
      logger.error({ msg: 'invoice.failed', error });
      return new Response('erro', { status: 500 });
    }
  },
};`,
    },
    {
      name: 'timestampedLoggers: pino-like logger stamps the time itself',
      filename: fn('sync-agenda'),
      options: [{ loggers: ['log'], timestampedLoggers: ['log'] }],
      code: `${ADMIN}Deno.serve(async (req) => {
  const { clinic_id } = await req.json();
  await admin.from('agenda_sync').upsert({ clinic_id, synced: true });
  log.info({ event: 'agenda.synced', clinic_id });
  return new Response('ok');
});`,
    },
    {
      name: 'catch that rethrows to a Hono app.onError',
      filename: fn('api'),
      code: `import { Hono } from 'jsr:@hono/hono';
${ADMIN}const app = new Hono();
app.onError((err, c) => { console.error(err); return c.json({ error: 'internal' }, 500); });
app.post('/appointments', async (c) => {
  try {
    const body = await c.req.json();
    await admin.from('appointments').insert({ clinic_id: body.clinic_id });
    console.info({ event: 'appointment.created', clinic_id: body.clinic_id, at: new Date().toISOString() });
    return c.json({ ok: true }, 201);
  } catch (e) {
    throw e;
  }
});
Deno.serve(app.fetch);`,
    },
    {
      name: 'catch that only answers 400 for malformed JSON',
      filename: fn('update-horario'),
      code: `Deno.serve(async (req) => {
  let body;
  try {
    body = await req.json();
  } catch {
    return new Response('JSON inválido', { status: 400 });
  }
  return Response.json({ received: body.horario });
});`,
    },
    {
      name: 'Sentry.captureException counts as logging the error',
      filename: fn('billing'),
      code: `import * as Sentry from 'npm:@sentry/deno';
Deno.serve(async (req) => {
  try {
    return Response.json(await supabase.rpc('relatorio_diario', await req.json()));
  } catch (err) {
    Sentry.captureException(err);
    return new Response('erro', { status: 500 });
  }
});`,
    },
    {
      name: 'success log in a helper reached from the handler, with nested clinic object',
      filename: fn('confirm-appointment'),
      code: `${ADMIN}async function confirmar(clinicId: string, id: string) {
  await admin.from('appointments').update({ status: 'confirmed' }).eq('clinic_id', clinicId).eq('id', id);
  console.info({ event: 'appointment.confirmed', clinic_id: clinicId, appointment_id: id, at: new Date().toISOString() });
}
Deno.serve(async (req) => {
  const { clinicId, id } = await req.json();
  await confirmar(clinicId, id);
  return new Response('ok');
});`,
    },
    {
      name: 'custom timestampFields and tenantFields',
      filename: fn('org-webhook'),
      options: [{ timestampFields: ['occurred_at'], tenantFields: ['org_id'] }],
      code: `${ADMIN}Deno.serve(async (req) => {
  const { org_id } = await req.json();
  await admin.from('events').insert({ org_id });
  console.info({ name: 'event.stored', org_id, occurred_at: someClock() });
  return new Response('ok');
});`,
    },
    {
      name: '.catch(() => ({})) on req.json is the optional-body idiom',
      filename: fn('ping'),
      code: `Deno.serve(async (req) => {
  const body = await req.json().catch(() => ({}));
  return Response.json({ pong: body.echo ?? null });
});`,
    },
    {
      name: 'a .catch callback that logs the error with console.error',
      filename: fn('notify-clinic'),
      code: `Deno.serve(async (req) => {
  const { clinic_id } = await req.json();
  await fetch('https://hooks.slack.com/services/T/B/X', { method: 'POST', body: 'novo agendamento' }).catch((e) => console.error('slack failed', e));
  console.info({ event: 'clinic.notified', clinic_id, at: new Date().toISOString() });
  return new Response('ok');
});`,
    },
    {
      name: 'catch with a log helper that calls console.error with its argument',
      filename: fn('export-report'),
      code: `function reportFailure(where: string, error: unknown) {
  console.error(JSON.stringify({ where, error: String(error), at: new Date().toISOString() }));
}
Deno.serve(async (req) => {
  try {
    return Response.json(await supabase.rpc('relatorio_diario', await req.json()));
  } catch (erro) {
    reportFailure('export-report', erro);
    return new Response('falhou', { status: 500 });
  }
});`,
    },
    {
      name: 'Deno.serve with options, error logged in a 500 answer branch',
      filename: fn('cancel-appointment'),
      code: `${ADMIN}Deno.serve({ port: 8000 }, async (req) => {
  try {
    const { clinic_id, id } = await req.json();
    const { error } = await admin.from('appointments').delete().eq('clinic_id', clinic_id).eq('id', id);
    if (error) {
      console.error({ event: 'appointment.cancel_failed', clinic_id, error });
      return new Response('erro', { status: 500 });
    }
    console.info({ event: 'appointment.cancelled', clinic_id, time: new Date().toISOString() });
    return new Response(null, { status: 204 });
  } catch (err) {
    console.error(err);
    return new Response('erro', { status: 500 });
  }
});`,
    },
    {
      name: 'catches around pure parsing are control flow; a recovered error may be a warning; a derived message counts',
      filename: fn('brand-video-download'),
      code: `function isAllowedUrl(raw: string): boolean {
  let u: URL;
  try { u = new URL(raw); } catch { return false; }
  return u.protocol === 'https:';
}
Deno.serve(async (req) => {
  try {
    const { url } = await req.json();
    if (!isAllowedUrl(url)) return new Response('url', { status: 400 });
    let meta = null;
    try {
      meta = await (await fetch(url, { method: 'HEAD' })).headers.get('content-type');
    } catch (headErr) {
      console.warn('HEAD failed, continuing', headErr);
    }
    console.info({ event: 'download.checked', clinic_id: 'c1', meta, at: new Date().toISOString() });
    return new Response('ok');
  } catch (error: unknown) {
    const msg = error instanceof Error ? error.message : String(error);
    console.error('brand-video-download failed:', msg);
    return new Response('erro', { status: 500 });
  }
});`,
    },
    {
      name: 'an imported logging helper given the error counts',
      filename: fn('admin-health'),
      code: `import { logAndSanitize } from '../_shared/errors.ts';
Deno.serve(async (req) => {
  try {
    return Response.json(await supabase.rpc('relatorio_diario', await req.json()));
  } catch (e) {
    return new Response(JSON.stringify({ error: logAndSanitize('admin-health', e) }), { status: 500 });
  }
});`,
    },
    {
      name: 'retry loop keeps the error for later; optional body parse; recovered parse with a warning',
      filename: fn('generate-voice'),
      code: `import OpenAI from 'npm:openai';
const openai = new OpenAI();
Deno.serve(async (req) => {
  let body: ArrayBuffer | undefined;
  try {
    body = await req.arrayBuffer();
  } catch {
    body = undefined;
  }
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const audio = await openai.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Olá' });
      let meta = null;
      try {
        meta = await audio.json();
      } catch {
        console.warn('no JSON metadata in the TTS answer');
      }
      console.info({ event: 'voice.generated', clinic_id: 'c1', meta, at: new Date().toISOString() });
      return new Response('ok');
    } catch (error) {
      lastError = error;
    }
  }
  console.error('generate-voice failed after retries', lastError);
  return new Response('erro', { status: 502 });
});`,
    },
  ],
  invalid: [
    {
      name: 'writes payments without any success log',
      filename: fn('stripe-webhook'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { clinic_id, amount } = await req.json();
  await admin.from('payments').insert({ clinic_id, amount });
  return new Response('ok');
});`,
      errors: [
        {
          messageId: 'missingSuccessLog',
          line: 5,
          column: 32,
          data: { fn: 'stripe-webhook', does: 'writes `payments`', tenant: 'clinic_id' },
        },
      ],
    },
    {
      name: 'calls Resend and logs a plain string',
      filename: fn('send-reminder'),
      code: `import { Resend } from 'https://esm.sh/resend@4';
const resend = new Resend(Deno.env.get('RESEND_API_KEY'));
Deno.serve(async (req) => {
  await resend.emails.send({ from: 'a@b.c', to: 'x@y.z', subject: 'Lembrete', html: '' });
  console.info('email sent');
  return new Response('ok');
});`,
      errors: [{ messageId: 'missingSuccessLog', line: 4, column: 9 }],
    },
    {
      name: 'success log without a timestamp',
      filename: fn('create-patient'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { clinic_id, nome } = await req.json();
  await admin.from('patients').insert({ clinic_id, nome });
  console.info({ event: 'patient.created', clinic_id });
  return new Response('ok', { status: 201 });
});`,
      errors: [
        {
          messageId: 'successLogIncomplete',
          line: 6,
          column: 3,
          data: { fn: 'create-patient', does: 'writes `patients`', tenant: 'clinic_id', missing: 'a timestamp' },
        },
      ],
    },
    {
      name: 'success log without the clinic id (pt-BR)',
      filename: fn('agendar-consulta'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const corpo = await req.json();
  await admin.from('consultas').insert({ clinic_id: corpo.clinica, paciente_id: corpo.paciente });
  console.info({ evento: 'consulta.agendada', em: new Date().toISOString() });
  return new Response('ok');
});`,
      errors: [{ messageId: 'successLogIncomplete', line: 6, column: 3 }],
    },
    {
      name: 'complete success event but with console.log',
      filename: fn('sync-calendar'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { clinic_id } = await req.json();
  await admin.from('calendar_events').upsert({ clinic_id, synced_at: new Date().toISOString() });
  console.log({ event: 'calendar.synced', clinic_id, at: new Date().toISOString() });
  return new Response('ok');
});`,
      errors: [{ messageId: 'successLogLevel', line: 6, column: 3, data: { fn: 'sync-calendar', label: 'console.log' } }],
    },
    {
      name: 'empty catch',
      filename: fn('whatsapp-webhook'),
      code: `Deno.serve(async (req) => {
  try {
    const payload = await req.json();
    return Response.json(await supabase.rpc('mensagens_da_instancia', { instancia: payload.instance }));
  } catch (e) {}
  return new Response('ok');
});`,
      errors: [{ messageId: 'emptyCatch', line: 5, column: 5, data: { fn: 'whatsapp-webhook', param: 'e' } }],
    },
    {
      name: 'catch that answers 500 without logging (theirs is the status, this is the log)',
      filename: fn('create-appointment'),
      code: `${ADMIN}Deno.serve(async (req) => {
  try {
    const { clinic_id } = await req.json();
    await admin.from('appointments').insert({ clinic_id });
    console.info({ event: 'appointment.created', clinic_id, at: new Date().toISOString() });
    return new Response('ok', { status: 201 });
  } catch (error) {
    return new Response(JSON.stringify({ error: error.message }), { status: 500 });
  }
});`,
      errors: [{ messageId: 'silentCatch', line: 9, column: 5, data: { fn: 'create-appointment', param: 'error' } }],
    },
    {
      name: 'catch logs the error with console.log',
      filename: fn('process-payment'),
      code: `Deno.serve(async (req) => {
  try {
    return Response.json(await supabase.rpc('relatorio_diario', await req.json()));
  } catch (err) {
    console.log('erro ao processar', err);
    return new Response('erro', { status: 500 });
  }
});`,
      errors: [{ messageId: 'catchWrongLevel', line: 4, column: 5, data: { fn: 'process-payment', label: 'console.log' } }],
    },
    {
      name: 'catch without binding logs only a message',
      filename: fn('import-csv'),
      code: `Deno.serve(async (req) => {
  try {
    return Response.json(await supabase.rpc('relatorio_diario', await req.json()));
  } catch {
    console.error('import failed');
    return new Response('erro', { status: 500 });
  }
});`,
      errors: [{ messageId: 'catchWithoutError', line: 4, column: 5, data: { fn: 'import-csv', label: 'console.error', param: 'err' } }],
    },
    {
      name: 'Hono route: writes without success log and swallows errors',
      filename: fn('api'),
      code: `import { Hono } from 'npm:hono';
${ADMIN}const app = new Hono();
app.post('/patients', async (c) => {
  try {
    const body = await c.req.json();
    await admin.from('patients').insert({ clinic_id: body.clinic_id, nome: body.nome });
    return c.json({ ok: true }, 201);
  } catch (e) {
    return c.json({ error: 'failed' }, 500);
  }
});
Deno.serve(app.fetch);`,
      errors: [
        { messageId: 'missingSuccessLog', line: 8, column: 34, data: { fn: 'api POST /patients', does: 'writes `patients`', tenant: 'clinic_id' } },
        { messageId: 'silentCatch', line: 10, column: 5 },
      ],
    },
    {
      name: 'export default fetch: fetch to an external API, log lacks both fields',
      filename: fn('sync-crm'),
      code: `export default {
  fetch: async (req: Request) => {
    const lead = await req.json();
    await fetch('https://api.crm.example.com/leads', { method: 'POST', body: JSON.stringify(lead) });
    console.info('lead enviado', lead.id);
    return new Response('ok');
  },
};`,
      errors: [{ messageId: 'missingSuccessLog', line: 4, column: 11, data: { fn: 'sync-crm', does: 'calls `fetch`', tenant: 'clinic_id' } }],
    },
    {
      name: 'std serve: update and delete, several tables named',
      filename: fn('reagendar'),
      code: `import { serve } from 'https://deno.land/std@0.168.0/http/server.ts';
${ADMIN}serve(async (req) => {
  const { clinic_id, id, novo } = await req.json();
  await admin.from('consultas').update({ inicio: novo }).eq('clinic_id', clinic_id).eq('id', id);
  await admin.from('lembretes').delete().eq('clinic_id', clinic_id).eq('consulta_id', id);
  return new Response('ok');
});`,
      errors: [
        {
          messageId: 'missingSuccessLog',
          line: 6,
          column: 33,
          data: { fn: 'reagendar', does: 'writes `consultas` and `lembretes`', tenant: 'clinic_id' },
        },
      ],
    },
    {
      name: 'a .catch(() => {}) that swallows a failed write',
      filename: fn('audit'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { clinic_id } = await req.json();
  await admin.from('audit_log').insert({ clinic_id, action: 'login' }).then(() => {}).catch(() => {});
  console.info({ event: 'audit.logged', clinic_id, at: new Date().toISOString() });
  return new Response('ok');
});`,
      errors: [{ messageId: 'emptyCatch', line: 5, column: 93 }],
    },
    {
      name: 'nested catch in a loop that only counts failures',
      filename: fn('bulk-reminders'),
      code: `import { Resend } from 'npm:resend';
const resend = new Resend(Deno.env.get('RESEND_API_KEY'));
Deno.serve(async (req) => {
  const { clinic_id, emails } = await req.json();
  let falhas = 0;
  for (const to of emails) {
    try {
      await resend.emails.send({ from: 'a@b.c', to, subject: 'Lembrete', html: '' });
    } catch (e) {
      falhas++;
    }
  }
  console.info({ event: 'reminders.sent', clinic_id, falhas, at: new Date().toISOString() });
  return Response.json({ falhas });
});`,
      errors: [{ messageId: 'silentCatch', line: 9, column: 7 }],
    },
    {
      name: 'allowClientErrorCatch off: a 400 answer must log too',
      filename: fn('stripe-webhook'),
      options: [{ allowClientErrorCatch: false }],
      code: `import Stripe from 'npm:stripe';
const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!);
Deno.serve(async (req) => {
  let event;
  try {
    event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get('stripe-signature')!, Deno.env.get('STRIPE_WEBHOOK_SECRET')!);
  } catch (err) {
    return new Response('bad signature', { status: 400 });
  }
  return Response.json({ received: event.type });
});`,
      errors: [{ messageId: 'silentCatch', line: 7, column: 5 }],
    },
    {
      name: 'success event logged only inside the error branch does not count',
      filename: fn('create-slot'),
      code: `${ADMIN}Deno.serve(async (req) => {
  const { clinic_id } = await req.json();
  const { error } = await admin.from('slots').insert({ clinic_id });
  if (error) {
    console.info({ event: 'slot.failed', clinic_id, at: new Date().toISOString() });
    return new Response('erro', { status: 500 });
  }
  return new Response('ok');
});`,
      errors: [{ messageId: 'missingSuccessLog', line: 5, column: 47 }],
    },
    {
      name: 'twilio SDK call without success log; logger error without the error',
      filename: fn('send-sms'),
      code: `import twilio from 'npm:twilio';
const client = twilio(Deno.env.get('TWILIO_SID'), Deno.env.get('TWILIO_TOKEN'));
Deno.serve(async (req) => {
  try {
    const { to } = await req.json();
    await client.messages.create({ to, from: '+5511999999999', body: 'Olá' });
    return new Response('ok');
  } catch (e) {
    logger.error('sms failed');
    return new Response('erro', { status: 502 });
  }
});`,
      errors: [
        { messageId: 'missingSuccessLog', line: 6, column: 11, data: { fn: 'send-sms', does: 'calls `client.messages.create`', tenant: 'clinic_id' } },
        { messageId: 'catchWithoutError', line: 8, column: 5 },
      ],
    },
    {
      name: 'a warning is not enough when the catch answers 500',
      filename: fn('gerar-boleto'),
      code: `Deno.serve(async (req) => {
  try {
    return Response.json(await supabase.rpc('relatorio_diario', await req.json()));
  } catch (erro) {
    console.warn('falha ao gerar boleto', erro);
    return new Response('erro', { status: 500 });
  }
});`,
      errors: [{ messageId: 'catchWrongLevel', line: 4, column: 5, data: { fn: 'gerar-boleto', label: 'console.warn' } }],
    },
  ],
});
