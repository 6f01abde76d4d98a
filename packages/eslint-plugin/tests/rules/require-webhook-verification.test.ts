import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/require-webhook-verification.js';

// A small project on disk: config.toml decides which functions are public, and _shared
// holds helpers that the rule must read through relative imports.
const root = mkdtempSync(join(tmpdir(), 'supagate-webhook-'));
mkdirSync(join(root, 'supabase/functions/_shared'), { recursive: true });
writeFileSync(
  join(root, 'supabase/config.toml'),
  `project_id = "clinica"

[functions.whatsapp-webhook]
verify_jwt = false

[functions.stripe-webhook]
verify_jwt = false

[functions.resend-webhook]
verify_jwt = false

[functions.cron-lembretes]
verify_jwt = false

[functions.health]
verify_jwt = false

[functions.agendar-consulta]
verify_jwt = true
`,
);
writeFileSync(
  join(root, 'supabase/functions/_shared/auth.ts'),
  `import { createClient } from "npm:@supabase/supabase-js@2";

export async function requireUser(req: Request) {
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {
    global: { headers: { Authorization: req.headers.get("Authorization")! } },
  });
  const { data: { user }, error } = await supabase.auth.getUser();
  if (error || !user) throw new Response("unauthorized", { status: 401 });
  return user;
}
`,
);
writeFileSync(
  join(root, 'supabase/functions/_shared/db.ts'),
  `import { createClient } from "jsr:@supabase/supabase-js@2";

export const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);

export async function salvarMensagem(clinicId: string, texto: string) {
  return await supabaseAdmin.from("mensagens").insert({ clinic_id: clinicId, texto });
}
`,
);

const fn = (name: string, file = 'index.ts') => join(root, 'supabase/functions', name, file);

const ruleTester = new RuleTester();

ruleTester.run('require-webhook-verification', rule, {
  valid: [
    {
      name: 'Stripe constructEventAsync in try/catch that answers 400, then service-role writes',
      filename: fn('stripe-webhook'),
      code: `
import Stripe from "npm:stripe@17";
import { createClient } from "npm:@supabase/supabase-js@2";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const signature = req.headers.get("stripe-signature");
  const body = await req.text();
  let event: Stripe.Event;
  try {
    event = await stripe.webhooks.constructEventAsync(body, signature!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
  } catch (err) {
    return new Response(\`Webhook Error: \${(err as Error).message}\`, { status: 400 });
  }
  const session = event.data.object as Stripe.Checkout.Session;
  await supabaseAdmin.from("pagamentos").update({ status: "pago" }).eq("stripe_session_id", session.id);
  return new Response(JSON.stringify({ received: true }), { status: 200 });
});`,
    },
    {
      name: 'Resend/svix: new Webhook(secret).verify(payload, headers) with std serve',
      filename: fn('resend-webhook'),
      code: `
import { serve } from "https://deno.land/std@0.168.0/http/server.ts";
import { Webhook } from "https://esm.sh/svix@1.15.0";
import { createClient } from "https://esm.sh/@supabase/supabase-js@2";
const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
serve(async (req) => {
  const payload = await req.text();
  const headers = Object.fromEntries(req.headers);
  const wh = new Webhook(Deno.env.get("RESEND_WEBHOOK_SECRET")!);
  const evento = wh.verify(payload, headers) as { type: string; data: { email_id: string } };
  await supabase.from("emails_enviados").update({ status: evento.type }).eq("resend_id", evento.data.email_id);
  return new Response("ok");
});`,
    },
    {
      name: 'HMAC via crypto.subtle.verify, stopped with 401, Deno.serve(options, handler)',
      filename: fn('whatsapp-webhook'),
      code: `
async function handler(req: Request): Promise<Response> {
  const raw = await req.text();
  const assinatura = req.headers.get("x-hub-signature-256")?.replace("sha256=", "") ?? "";
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(Deno.env.get("META_APP_SECRET")!), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const valido = await crypto.subtle.verify("HMAC", key, hexToBytes(assinatura), new TextEncoder().encode(raw));
  if (!valido) return new Response("assinatura inválida", { status: 401 });
  const mensagem = JSON.parse(raw);
  return new Response(JSON.stringify({ ok: true, id: mensagem.id }));
}
Deno.serve({ port: 8000 }, handler);`,
    },
    {
      name: 'shared-secret header compared with std timingSafeEqual, export default { fetch }',
      filename: fn('cron-lembretes'),
      code: `
import { timingSafeEqual } from "jsr:@std/crypto/timing-safe-equal";
import { createClient } from "jsr:@supabase/supabase-js@2";
const enc = new TextEncoder();
export default {
  async fetch(req: Request) {
    const token = req.headers.get("x-cron-secret") ?? "";
    const esperado = Deno.env.get("CRON_SECRET");
    if (!esperado || !timingSafeEqual(enc.encode(token), enc.encode(esperado))) {
      return new Response("forbidden", { status: 403 });
    }
    const admin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
    await admin.from("lembretes").update({ enviado: true }).lt("agendado_para", new Date().toISOString());
    return new Response("ok");
  },
};`,
    },
    {
      name: 'verify_jwt on, body read, only the caller JWT is used',
      filename: fn('agendar-consulta'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {
    global: { headers: { Authorization: req.headers.get("Authorization")! } },
  });
  const { paciente_id, horario } = await req.json();
  const { data, error } = await supabase.from("consultas").insert({ paciente_id, horario }).select().single();
  if (error) return new Response(JSON.stringify({ error: error.message }), { status: 400 });
  return Response.json(data, { status: 201 });
});`,
    },
    {
      name: 'auth.getUser on the admin client stops with 401 before service-role work',
      filename: fn('exportar-prontuario'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const jwt = req.headers.get("Authorization")?.replace("Bearer ", "") ?? "";
  const { data: { user }, error } = await supabaseAdmin.auth.getUser(jwt);
  if (error || !user) {
    return new Response(JSON.stringify({ error: "não autenticado" }), { status: 401 });
  }
  const { pacienteId } = await req.json();
  const { data } = await supabaseAdmin.from("prontuarios").select("*").eq("paciente_id", pacienteId).eq("medico_id", user.id);
  return Response.json(data);
});`,
    },
    {
      name: 'Hono app behind bearerAuth middleware',
      filename: fn('whatsapp-webhook'),
      code: `
import { Hono } from "jsr:@hono/hono";
import { bearerAuth } from "jsr:@hono/hono/bearer-auth";
import { createClient } from "jsr:@supabase/supabase-js@2";
const app = new Hono().basePath("/whatsapp-webhook");
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
app.use("*", bearerAuth({ token: Deno.env.get("WHATSAPP_VERIFY_TOKEN")! }));
app.post("/", async (c) => {
  const body = await c.req.json();
  await supabaseAdmin.from("mensagens").insert({ instancia: body.instance, texto: body.text });
  return c.json({ ok: true });
});
Deno.serve(app.fetch);`,
    },
    {
      name: 'boolean helper in the same file, checked with an early 401',
      filename: fn('whatsapp-webhook'),
      code: `
async function verificarAssinatura(req: Request, corpo: string): Promise<boolean> {
  const segredo = Deno.env.get("WHATSAPP_APP_SECRET")!;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(segredo), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const sig = req.headers.get("x-hub-signature-256") ?? "";
  return await crypto.subtle.verify("HMAC", key, hexToBytes(sig.slice(7)), new TextEncoder().encode(corpo));
}
Deno.serve(async (req) => {
  const corpo = await req.text();
  if (!(await verificarAssinatura(req, corpo))) {
    return new Response("unauthorized", { status: 401 });
  }
  const dados = JSON.parse(corpo);
  return new Response(JSON.stringify({ recebido: dados.entry.length }));
});`,
    },
    {
      name: 'helper that throws on a bad secret, called first',
      filename: fn('cron-lembretes'),
      code: `
import { timingSafeEqual } from "jsr:@std/crypto/timing-safe-equal";
import { createClient } from "jsr:@supabase/supabase-js@2";
const enc = new TextEncoder();
function assertCronSecret(req: Request) {
  const recebido = enc.encode(req.headers.get("x-cron-secret") ?? "");
  const esperado = enc.encode(Deno.env.get("CRON_SECRET")!);
  if (!timingSafeEqual(recebido, esperado)) throw new Error("unauthorized");
}
Deno.serve(async (req) => {
  try {
    assertCronSecret(req);
  } catch {
    return new Response("unauthorized", { status: 401 });
  }
  const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
  await supabaseAdmin.rpc("enviar_lembretes_do_dia");
  return new Response("ok");
});`,
    },
    {
      name: 'relative import of a helper that authenticates the user and throws',
      filename: fn('relatorio-clinica'),
      code: `
import { requireUser } from "../_shared/auth.ts";
import { supabaseAdmin } from "../_shared/db.ts";
Deno.serve(async (req) => {
  try {
    const user = await requireUser(req);
    const { clinicaId } = await req.json();
    const { data } = await supabaseAdmin.from("consultas").select("id").eq("clinic_id", clinicaId).eq("medico_id", user.id);
    return Response.json({ total: data?.length ?? 0 });
  } catch (e) {
    if (e instanceof Response) return e;
    return new Response("erro", { status: 500 });
  }
});`,
    },
    {
      name: 'public function that neither reads its body nor uses a service-role client',
      filename: fn('health'),
      code: `
Deno.serve((_req) => new Response(JSON.stringify({ status: "ok", versao: Deno.env.get("APP_VERSION") }), {
  headers: { "Content-Type": "application/json" },
}));`,
    },
    {
      name: 'success-guard form: work only inside if (valid)',
      filename: fn('whatsapp-webhook'),
      code: `
import { timingSafeEqual } from "jsr:@std/crypto/timing-safe-equal";
const enc = new TextEncoder();
Deno.serve(async (req) => {
  const token = req.headers.get("x-webhook-token") ?? "";
  const ok = timingSafeEqual(enc.encode(token), enc.encode(Deno.env.get("WEBHOOK_TOKEN")!));
  if (ok) {
    const payload = await req.json();
    return new Response(JSON.stringify({ recebido: payload.event }));
  }
  return new Response("unauthorized", { status: 401 });
});`,
    },
    {
      name: 'Hono middleware of this file verifies the signature before next()',
      filename: fn('whatsapp-webhook'),
      code: `
import { Hono } from "npm:hono@4";
const app = new Hono();
app.use("/webhook/*", async (c, next) => {
  const assinatura = c.req.header("x-signature") ?? "";
  const ok = await verifySignature(await c.req.raw.clone().text(), assinatura);
  if (!ok) return c.text("unauthorized", 401);
  await next();
});
app.post("/webhook/mensagens", async (c) => {
  const mensagem = await c.req.json();
  return c.json({ id: mensagem.id });
});
export default app;`,
    },
    {
      name: 'everything inside one try: the read and the writes follow constructEventAsync',
      filename: fn('stripe-webhook'),
      code: `
import Stripe from "https://esm.sh/stripe@14?target=denonext";
import { createClient } from "https://esm.sh/@supabase/supabase-js@2";
const stripe = new Stripe(Deno.env.get("STRIPE_API_KEY")!, { httpClient: Stripe.createFetchHttpClient() });
Deno.serve(async (request) => {
  try {
    const event = await stripe.webhooks.constructEventAsync(await request.text(), request.headers.get("Stripe-Signature")!, Deno.env.get("STRIPE_WEBHOOK_SIGNING_SECRET")!);
    const admin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
    if (event.type === "invoice.paid") await admin.from("assinaturas").update({ ativa: true }).eq("stripe_id", (event.data.object as Stripe.Invoice).subscription);
    return new Response(JSON.stringify({ ok: true }), { status: 200 });
  } catch (err) {
    return new Response((err as Error).message, { status: 400 });
  }
});`,
    },
    {
      name: 'auth.getClaims result stops the handler before the service-role client',
      filename: fn('agendar-consulta'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SECRET_KEY")!);
Deno.serve(async (req) => {
  const token = req.headers.get("Authorization")?.replace("Bearer ", "");
  const { data, error } = await supabaseAdmin.auth.getClaims(token);
  if (error || !data) return new Response("unauthorized", { status: 401 });
  await supabaseAdmin.from("auditoria").insert({ usuario: data.claims.sub, acao: "agendar" });
  return new Response(null, { status: 204 });
});`,
    },
    {
      name: 'an empty-string fallback that is checked before use is not fail-open',
      filename: fn('resend-webhook'),
      code: `
import { Webhook } from "npm:standardwebhooks@1";
const secret = Deno.env.get("RESEND_WEBHOOK_SECRET") ?? "";
Deno.serve(async (req) => {
  if (!secret) return new Response("webhook secret not configured", { status: 500 });
  const payload = await req.text();
  const event = new Webhook(secret).verify(payload, Object.fromEntries(req.headers));
  return new Response(JSON.stringify({ type: (event as { type: string }).type }));
});`,
    },
    {
      name: 'body validated before getUser, no privileged work before it',
      filename: fn('whatsapp-webhook'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
Deno.serve(async (req) => {
  const { novoEmail } = await req.json();
  if (!novoEmail) return new Response("email obrigatório", { status: 400 });
  const admin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
  const { data: { user } } = await admin.auth.getUser(req.headers.get("Authorization")!.slice(7));
  if (!user) return new Response("unauthorized", { status: 401 });
  await admin.auth.admin.updateUserById(user.id, { email: novoEmail });
  return new Response(null, { status: 204 });
});`,
    },
    {
      name: 'Meta GET handshake: the clinic is found by its verify token',
      filename: fn('whatsapp-webhook'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const url = new URL(req.url);
  const token = url.searchParams.get("hub.verify_token");
  const { data: clinica } = await supabase.from("clinics").select("id").eq("whatsapp_verify_token", token).maybeSingle();
  if (!clinica) return new Response("Forbidden", { status: 403 });
  await supabase.from("clinics").update({ whatsapp_verificado: true }).eq("id", clinica.id);
  return new Response(url.searchParams.get("hub.challenge"), { status: 200 });
});`,
    },
    {
      name: 'OAuth callback finds the pending connection by its CSRF state',
      filename: fn('whatsapp-webhook'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const sb = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const url = new URL(req.url);
  const { data: conexao } = await sb.from("conexoes_canal").select("id, clinic_id").eq("state", url.searchParams.get("state")).maybeSingle();
  if (!conexao) return new Response("state inválido", { status: 400 });
  await sb.from("conexoes_canal").update({ status: "ativo", code: url.searchParams.get("code") }).eq("id", conexao.id);
  return Response.redirect("https://app.clinica.com/integracoes");
});`,
    },
    {
      name: 'service-role update in the catch of a try that authenticated first',
      filename: fn('agendar-consulta'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const admin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  let execucaoId: string | null = null;
  try {
    const { data: { user } } = await admin.auth.getUser(req.headers.get("Authorization")!.slice(7));
    if (!user) return new Response("unauthorized", { status: 401 });
    const { data } = await admin.from("execucoes").insert({ user_id: user.id }).select("id").single();
    execucaoId = data!.id;
    return Response.json({ execucaoId });
  } catch (e) {
    if (execucaoId) await admin.from("execucoes").update({ status: "falhou" }).eq("id", execucaoId);
    return new Response("erro", { status: 500 });
  }
});`,
    },
    {
      name: 'synchronous constructEvent outside Deno (a Node server) is fine',
      filename: join(root, 'server/stripe.ts'),
      code: `
import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export function parseEvent(raw: Buffer, sig: string) {
  return stripe.webhooks.constructEvent(raw, sig, process.env.STRIPE_WEBHOOK_SECRET!);
}`,
    },
  ],
  invalid: [
    {
      name: 'public WhatsApp webhook reads its body without verifying',
      filename: fn('whatsapp-webhook'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const { instance, data } = await req.json();
  await supabaseAdmin.from("mensagens").insert({ instancia: instance, texto: data.message.conversation });
  return new Response("ok");
});`,
      errors: [{ messageId: 'unverifiedBody', line: 5, column: 36, data: { fn: 'whatsapp-webhook', what: "req.json()", where: 'line 5' } }],
    },
    {
      name: 'public cron function uses a service-role client without a secret',
      filename: fn('cron-lembretes'),
      code: `
import { createClient } from "jsr:@supabase/supabase-js@2";
Deno.serve(async () => {
  const admin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
  const { data: consultas } = await admin.from("consultas").select("id, paciente_id").eq("lembrete_enviado", false);
  return Response.json({ pendentes: consultas?.length ?? 0 });
});`,
      errors: [{ messageId: 'unverifiedServiceRole', line: 5, column: 37 }],
    },
    {
      name: 'verify_jwt on, but a service-role client with no getUser',
      filename: fn('agendar-consulta'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const { paciente_id, clinic_id } = await req.json();
  const { error } = await supabaseAdmin.from("consultas").insert({ paciente_id, clinic_id });
  return new Response(JSON.stringify({ ok: !error }), { status: error ? 500 : 201 });
});`,
      errors: [{ messageId: 'unauthenticatedServiceRole', line: 6, column: 27 }],
    },
    {
      name: 'event stored with the service-role client before the shared secret is checked',
      filename: fn('whatsapp-webhook'),
      code: `
import { timingSafeEqual } from "jsr:@std/crypto/timing-safe-equal";
import { createClient } from "npm:@supabase/supabase-js@2";
const enc = new TextEncoder();
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const payload = await req.json();
  await supabaseAdmin.from("webhook_eventos").insert({ origem: "whatsapp", payload });
  const token = req.headers.get("x-webhook-token") ?? "";
  if (!timingSafeEqual(enc.encode(token), enc.encode(Deno.env.get("WEBHOOK_TOKEN")!))) {
    return new Response("unauthorized", { status: 401 });
  }
  return new Response(JSON.stringify({ evento: payload.event }));
});`,
      errors: [{ messageId: 'verificationAfterUse', line: 8, column: 9, data: { fn: 'whatsapp-webhook', action: 'uses a service-role client', what: "supabaseAdmin.from('webhook_eventos')", where: 'line 8', verifyLine: '10' } }],
    },
    {
      name: 'crypto.subtle.verify result ignored',
      filename: fn('whatsapp-webhook'),
      code: `
Deno.serve(async (req) => {
  const raw = await req.text();
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(Deno.env.get("META_APP_SECRET")!), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  await crypto.subtle.verify("HMAC", key, hexToBytes(req.headers.get("x-hub-signature-256")!), new TextEncoder().encode(raw));
  const evento = JSON.parse(raw);
  return new Response(evento.id);
});`,
      errors: [{ messageId: 'verificationNotEnforced', line: 5, column: 9 }],
    },
    {
      name: 'invalid signature only logged',
      filename: fn('whatsapp-webhook'),
      code: `
import { timingSafeEqual } from "jsr:@std/crypto/timing-safe-equal";
Deno.serve(async (req) => {
  const corpo = await req.text();
  const valida = timingSafeEqual(await assinar(corpo), hexToBytes(req.headers.get("x-signature") ?? ""));
  if (!valida) {
    console.warn("assinatura inválida");
  }
  const dados = JSON.parse(corpo);
  return Response.json({ ok: true, tipo: dados.tipo });
});`,
      errors: [{ messageId: 'verificationNotEnforced', line: 5, column: 18 }],
    },
    {
      name: 'constructEventAsync failure logged and the handler goes on',
      filename: fn('stripe-webhook'),
      code: `
import Stripe from "npm:stripe@17";
import { createClient } from "npm:@supabase/supabase-js@2";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const body = await req.text();
  let event;
  try {
    event = await stripe.webhooks.constructEventAsync(body, req.headers.get("stripe-signature")!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
  } catch (err) {
    console.error("falha na assinatura", err);
  }
  await supabaseAdmin.from("pagamentos").insert({ evento: event?.id, clinic_id: event?.data.object.metadata.clinic_id });
  return new Response("ok");
});`,
      errors: [{ messageId: 'verificationSwallowed', line: 10, column: 19 }],
    },
    {
      name: 'webhook secret falls back to an empty string',
      filename: fn('stripe-webhook'),
      code: `
import Stripe from "npm:stripe@17";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
const endpointSecret = Deno.env.get("STRIPE_WEBHOOK_SECRET") ?? "";
Deno.serve(async (req) => {
  try {
    const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get("stripe-signature")!, endpointSecret);
    return new Response(JSON.stringify({ type: event.type }));
  } catch {
    return new Response("bad signature", { status: 400 });
  }
});`,
      errors: [{ messageId: 'failOpenSecret', line: 4, column: 24, data: { text: 'Deno.env.get("STRIPE_WEBHOOK_SECRET") ?? ""', env: 'STRIPE_WEBHOOK_SECRET' } }],
    },
    {
      name: 'verification skipped when the secret is unset',
      filename: fn('resend-webhook'),
      code: `
import { Webhook } from "npm:svix@1";
const secret = Deno.env.get("RESEND_WEBHOOK_SECRET");
Deno.serve(async (req) => {
  const payload = await req.text();
  if (secret) {
    new Webhook(secret).verify(payload, Object.fromEntries(req.headers));
  }
  const evento = JSON.parse(payload);
  return Response.json({ tipo: evento.type });
});`,
      errors: [{ messageId: 'skippedWhenSecretUnset', line: 6, column: 7, data: { what: 'secret' } }],
    },
    {
      name: 'secret checked only when set, and with !==',
      filename: fn('cron-lembretes'),
      code: `
const CRON_SECRET = Deno.env.get("CRON_SECRET");
export default {
  async fetch(req: Request) {
    const token = req.headers.get("x-cron-secret");
    if (CRON_SECRET && token !== CRON_SECRET) return new Response("forbidden", { status: 403 });
    const { clinicaId } = await req.json();
    return new Response(\`ok \${clinicaId}\`);
  },
};`,
      errors: [
        { messageId: 'skippedWhenSecretUnset', line: 6, column: 9 },
        {
          messageId: 'timingUnsafeCompare',
          line: 6,
          column: 24,
          suggestions: [
            {
              messageId: 'useTimingSafeEqual',
              output: `import { timingSafeEqual } from "jsr:@std/crypto/timing-safe-equal";

const CRON_SECRET = Deno.env.get("CRON_SECRET");
export default {
  async fetch(req: Request) {
    const token = req.headers.get("x-cron-secret");
    if (CRON_SECRET && !timingSafeEqual(new TextEncoder().encode(token), new TextEncoder().encode(CRON_SECRET))) return new Response("forbidden", { status: 403 });
    const { clinicaId } = await req.json();
    return new Response(\`ok \${clinicaId}\`);
  },
};`,
            },
          ],
        },
      ],
    },
    {
      name: 'shared-secret header compared with !== (import added after existing ones)',
      filename: fn('whatsapp-webhook'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
Deno.serve(async (req) => {
  if (req.headers.get("x-webhook-secret") !== Deno.env.get("WEBHOOK_SECRET")) {
    return new Response("unauthorized", { status: 401 });
  }
  const body = await req.json();
  return Response.json({ ok: true, body });
});`,
      errors: [
        {
          messageId: 'timingUnsafeCompare',
          line: 4,
          column: 7,
          suggestions: [
            {
              messageId: 'useTimingSafeEqual',
              output: `
import { createClient } from "npm:@supabase/supabase-js@2";
import { timingSafeEqual } from "jsr:@std/crypto/timing-safe-equal";
Deno.serve(async (req) => {
  if (!timingSafeEqual(new TextEncoder().encode(req.headers.get("x-webhook-secret")), new TextEncoder().encode(Deno.env.get("WEBHOOK_SECRET")))) {
    return new Response("unauthorized", { status: 401 });
  }
  const body = await req.json();
  return Response.json({ ok: true, body });
});`,
            },
          ],
        },
      ],
    },
    {
      name: 'synchronous constructEvent in Deno',
      filename: fn('stripe-webhook'),
      code: `
import Stripe from "https://esm.sh/stripe@14?target=deno";
const stripe = new Stripe(Deno.env.get("STRIPE_API_KEY")!);
Deno.serve(async (req) => {
  const body = await req.text();
  try {
    const event = stripe.webhooks.constructEvent(body, req.headers.get("stripe-signature")!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
    return Response.json({ recebido: event.id });
  } catch (err) {
    return new Response(String(err), { status: 400 });
  }
});`,
      errors: [
        {
          messageId: 'syncConstructEvent',
          line: 7,
          column: 19,
          suggestions: [
            {
              messageId: 'useConstructEventAsync',
              output: `
import Stripe from "https://esm.sh/stripe@14?target=deno";
const stripe = new Stripe(Deno.env.get("STRIPE_API_KEY")!);
Deno.serve(async (req) => {
  const body = await req.text();
  try {
    const event = await stripe.webhooks.constructEventAsync(body, req.headers.get("stripe-signature")!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
    return Response.json({ recebido: event.id });
  } catch (err) {
    return new Response(String(err), { status: 400 });
  }
});`,
            },
          ],
        },
      ],
    },
    {
      name: 'Hono route of a public function reads c.req.json() unverified',
      filename: fn('whatsapp-webhook'),
      code: `
import { Hono } from "jsr:@hono/hono";
const app = new Hono().basePath("/whatsapp-webhook");
app.get("/", (c) => c.text(c.req.query("hub.challenge") ?? ""));
app.post("/", async (c) => {
  const mensagem = await c.req.json();
  return c.json({ recebida: mensagem.id });
});
Deno.serve(app.fetch);`,
      errors: [{ messageId: 'unverifiedBody', line: 6, column: 26 }],
    },
    {
      name: 'export default { fetch } reads formData in a public function',
      filename: fn('resend-webhook'),
      code: `
export default {
  fetch: async (request: Request) => {
    const form = await request.formData();
    const email = form.get("email");
    return new Response(\`inscrito \${email}\`);
  },
};`,
      errors: [{ messageId: 'unverifiedBody', line: 4, column: 24 }],
    },
    {
      name: 'body read inside a same-file helper is reported where it happens',
      filename: fn('whatsapp-webhook'),
      code: `
import { serve } from "https://deno.land/std@0.177.0/http/server.ts";
async function lerMensagem(request: Request) {
  const dados = await request.json();
  return { telefone: dados.from, texto: dados.text };
}
serve(async (req) => {
  const mensagem = await lerMensagem(req);
  return new Response(JSON.stringify({ ok: true, de: mensagem.telefone }));
});`,
      errors: [{ messageId: 'unverifiedBody', line: 4, column: 23, data: { fn: 'whatsapp-webhook', what: 'request.json()', where: 'line 4' } }],
    },
    {
      name: 'service-role use inside a relatively imported helper is reported at the call',
      filename: fn('cron-lembretes'),
      code: `
import { salvarMensagem } from "../_shared/db.ts";
Deno.serve(async () => {
  await salvarMensagem("clinica-1", "lembrete enviado");
  return new Response("ok");
});`,
      errors: [{ messageId: 'unverifiedServiceRole', line: 4, column: 9, data: { fn: 'cron-lembretes', what: "supabaseAdmin.from('mensagens')", where: '../_shared/db.ts line 6' } }],
    },
    {
      name: 'svix verification only when the signature header is present',
      filename: fn('resend-webhook'),
      code: `
import { Webhook } from "https://esm.sh/svix@1.15.0";
const wh = new Webhook(Deno.env.get("SVIX_SECRET")!);
Deno.serve(async (req) => {
  const payload = await req.text();
  const signature = req.headers.get("svix-signature");
  if (signature) {
    wh.verify(payload, { "svix-id": req.headers.get("svix-id")!, "svix-timestamp": req.headers.get("svix-timestamp")!, "svix-signature": signature });
  }
  return Response.json(JSON.parse(payload));
});`,
      errors: [{ messageId: 'skippedWhenSecretUnset', line: 7, column: 7 }],
    },
    {
      name: 'getUser called but its result never checked',
      filename: fn('agendar-consulta'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const token = req.headers.get("Authorization")!.replace("Bearer ", "");
  await supabaseAdmin.auth.getUser(token);
  const { error } = await supabaseAdmin.from("consultas").delete().eq("id", new URL(req.url).searchParams.get("id"));
  return new Response(null, { status: error ? 500 : 204 });
});`,
      errors: [{ messageId: 'verificationNotEnforced', line: 6, column: 9 }],
    },
  ],
});
