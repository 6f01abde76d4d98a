import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/require-error-handling.js';

const root = mkdtempSync(join(tmpdir(), 'supagate-errors-'));
mkdirSync(join(root, 'supabase/functions/_shared'), { recursive: true });
writeFileSync(
  join(root, 'supabase/functions/_shared/db.ts'),
  `import { createClient } from "jsr:@supabase/supabase-js@2";

export const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);

export async function registrarConsulta(clinicId: string, pacienteId: string) {
  const { error } = await supabaseAdmin.from("consultas").insert({ clinic_id: clinicId, paciente_id: pacienteId });
  if (error) throw error;
}
`,
);
const fn = (name: string) => join(root, 'supabase/functions', name, 'index.ts');

const ruleTester = new RuleTester();

ruleTester.run('require-error-handling', rule, {
  valid: [
    {
      name: 'Deno.serve: body and database inside try, catch answers 500',
      filename: fn('agendar-consulta'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
Deno.serve(async (req) => {
  try {
    const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, { global: { headers: { Authorization: req.headers.get("Authorization")! } } });
    const { paciente_id, horario } = await req.json();
    const { data, error } = await supabase.from("consultas").insert({ paciente_id, horario }).select().single();
    if (error) return new Response(JSON.stringify({ error: error.message }), { status: 400 });
    return Response.json(data, { status: 201 });
  } catch (err) {
    console.error("agendar-consulta falhou", err);
    return new Response(JSON.stringify({ error: "erro interno" }), { status: 500 });
  }
});`,
    },
    {
      name: 'headers, raw text and the signature check before the try; early 4xx returns',
      filename: fn('stripe-webhook'),
      code: `
import Stripe from "npm:stripe@17";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
Deno.serve(async (req) => {
  if (req.method !== "POST") return new Response("method not allowed", { status: 405 });
  const signature = req.headers.get("stripe-signature");
  if (!signature) return new Response("missing signature", { status: 400 });
  const body = await req.text();
  let event: Stripe.Event;
  try {
    event = await stripe.webhooks.constructEventAsync(body, signature, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
  } catch {
    return new Response("bad signature", { status: 400 });
  }
  try {
    await stripe.customers.update((event.data.object as Stripe.Invoice).customer as string, { metadata: { pago: "sim" } });
    return Response.json({ received: true });
  } catch (e) {
    console.error(e);
    return Response.json({ error: "falha ao processar" }, { status: 500 });
  }
});`,
    },
    {
      name: 'Hono with app.onError: routes need no try/catch',
      filename: fn('api-clinica'),
      code: `
import { Hono } from "jsr:@hono/hono";
import { createClient } from "jsr:@supabase/supabase-js@2";
const app = new Hono().basePath("/api-clinica");
const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!);
app.post("/pacientes", async (c) => {
  const paciente = await c.req.json();
  const { data } = await supabase.from("pacientes").insert(paciente).select().single();
  return c.json(data, 201);
});
app.onError((err, c) => {
  console.error(err);
  return c.json({ error: "erro interno" }, 500);
});
Deno.serve(app.fetch);`,
    },
    {
      name: 'export default { fetch } with Response.json error 500 in the catch',
      filename: fn('notificar-paciente'),
      code: `
export default {
  async fetch(request: Request): Promise<Response> {
    try {
      const { telefone, mensagem } = await request.json();
      const resposta = await fetch("https://graph.facebook.com/v19.0/me/messages", { method: "POST", body: JSON.stringify({ to: telefone, text: mensagem }) });
      return Response.json({ enviado: resposta.ok });
    } catch (error) {
      return Response.json({ error: String(error) }, { status: 500 });
    }
  },
};`,
    },
    {
      name: 'std serve with a response helper whose status is passed',
      filename: fn('listar-medicos'),
      code: `
import { serve } from "https://deno.land/std@0.168.0/http/server.ts";
import { createClient } from "https://esm.sh/@supabase/supabase-js@2";
function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}
serve(async (req) => {
  try {
    const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!);
    const { data } = await supabase.from("medicos").select("id, especialidade");
    return jsonResponse({ medicos: data });
  } catch (e) {
    return jsonResponse({ error: (e as Error).message }, 500);
  }
});`,
    },
    {
      name: 'handler delegates to a helper that has its own try/catch',
      filename: fn('agendar-consulta'),
      code: `
async function handle(req: Request): Promise<Response> {
  try {
    const { consultaId } = await req.json();
    const r = await fetch(\`https://api.exemplo.com/consultas/\${consultaId}\`);
    return new Response(await r.text(), { status: r.status });
  } catch (err) {
    return new Response(JSON.stringify({ error: "falha" }), { status: 502 });
  }
}
Deno.serve((req) => handle(req));`,
    },
    {
      name: 'network call with its own .catch() and background work in waitUntil',
      filename: fn('webhook-whatsapp'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  await fetch("https://hooks.exemplo.com/ping", { method: "POST" }).catch(() => null);
  EdgeRuntime.waitUntil((async () => {
    await supabaseAdmin.from("fila").update({ processado: true }).eq("processado", false);
  })());
  return new Response("accepted", { status: 202 });
});`,
    },
    {
      name: 'explicit error: null in a success response',
      filename: fn('status'),
      code: `
Deno.serve(async (req) => {
  try {
    const { id } = await req.json();
    return new Response(JSON.stringify({ data: { id }, error: null }), { status: 200 });
  } catch {
    return new Response(JSON.stringify({ data: null, error: "json inválido" }), { status: 400 });
  }
});`,
    },
    {
      name: 'Deno.serve({ onError }) answers thrown errors',
      filename: fn('relatorios'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!);
Deno.serve({
  onError(error) {
    console.error(error);
    return new Response("erro interno", { status: 500 });
  },
}, async (req) => {
  const { data } = await supabase.rpc("relatorio_mensal", await req.json());
  return Response.json(data);
});`,
    },
    {
      name: 'helper rethrows to the handler try, which answers 500',
      filename: fn('agendar-consulta'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!);
async function salvar(dados: Record<string, unknown>) {
  try {
    const { error } = await supabase.from("agendamentos").insert(dados);
    if (error) throw error;
  } catch (e) {
    console.error("salvar falhou", e);
    throw e;
  }
}
Deno.serve(async (req) => {
  try {
    await salvar(await req.json());
    return new Response(null, { status: 204 });
  } catch {
    return new Response("erro", { status: 500 });
  }
});`,
    },
    {
      name: 'authentication outside the try answers 401 itself',
      filename: fn('meus-dados'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, { global: { headers: { Authorization: req.headers.get("Authorization")! } } });
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) return new Response("unauthorized", { status: 401 });
  try {
    const { data } = await supabase.from("pacientes").select("id, nome").eq("user_id", user.id);
    return Response.json(data);
  } catch (e) {
    return Response.json({ error: "erro" }, { status: 500 });
  }
});`,
    },
    {
      name: 'Hono route with its own try/catch answering 500',
      filename: fn('api'),
      code: `
import { Hono } from "npm:hono@4";
const app = new Hono();
app.post("/consultas", async (c) => {
  try {
    const body = await c.req.json();
    const r = await fetch("https://agenda.exemplo.com", { method: "POST", body: JSON.stringify(body) });
    return c.json({ ok: r.ok });
  } catch (e) {
    return c.json({ error: "falha ao agendar" }, 500);
  }
});
Deno.serve(app.fetch);`,
    },
    {
      name: 'status from a variable is not guessed',
      filename: fn('proxy'),
      code: `
Deno.serve(async (req) => {
  try {
    const upstream = await fetch("https://api.exemplo.com/v1", { method: "POST", body: await req.text() });
    const status = upstream.ok ? 200 : upstream.status;
    return new Response(JSON.stringify({ error: upstream.ok ? undefined : upstream.statusText }), { status });
  } catch {
    return new Response("bad gateway", { status: 502 });
  }
});`,
    },
    {
      name: 'catch of a bad JSON body answers 400, work in a later try',
      filename: fn('cadastro-paciente'),
      code: `
import { createClient } from "jsr:@supabase/supabase-js@2";
const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!);
Deno.serve(async (req) => {
  let paciente;
  try {
    paciente = await req.json();
  } catch {
    return new Response(JSON.stringify({ error: "JSON inválido" }), { status: 400 });
  }
  try {
    const { error } = await supabase.from("pacientes").insert(paciente);
    if (error) return Response.json({ error: error.message }, { status: 422 });
    return new Response(null, { status: 201 });
  } catch {
    return new Response("erro", { status: 500 });
  }
});`,
    },
    {
      name: 'status polling: the polled job\'s error is optional and the poll itself succeeded',
      filename: fn('status-video'),
      code: `
Deno.serve(async (req) => {
  try {
    const { jobId } = await req.json();
    const job = await fetch(\`https://render.exemplo.com/jobs/\${jobId}\`).then((r) => r.json());
    return new Response(JSON.stringify({ status: job.status, error: job.status === "failed" ? job.error : undefined }));
  } catch {
    return new Response("erro", { status: 500 });
  }
});`,
    },
    {
      name: 'Hono 404 answer with an error field',
      filename: fn('api'),
      code: `
import { Hono } from "jsr:@hono/hono";
const app = new Hono();
app.get("/pacientes/:id", (c) => c.json({ error: "paciente não encontrado" }, 404));
Deno.serve(app.fetch);`,
    },
  ],
  invalid: [
    {
      name: 'await req.json() outside try',
      filename: fn('agendar-consulta'),
      code: `
Deno.serve(async (req) => {
  const { pacienteId } = await req.json();
  return new Response(JSON.stringify({ pacienteId }), { status: 200 });
});`,
      errors: [{ messageId: 'unprotectedWork', line: 3, column: 32, data: { what: 'req.json()', where: 'line 3', more: '' } }],
    },
    {
      name: 'database write outside try after the early checks',
      filename: fn('confirmar-consulta'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const id = new URL(req.url).searchParams.get("id");
  if (!id) return new Response("id obrigatório", { status: 400 });
  await supabaseAdmin.from("consultas").update({ confirmada: true }).eq("id", id);
  return new Response("ok");
});`,
      errors: [{ messageId: 'unprotectedWork', line: 7, column: 9 }],
    },
    {
      name: 'fetch outside try in export default { fetch }',
      filename: fn('enviar-sms'),
      code: `
export default {
  async fetch(req: Request) {
    const r = await fetch("https://api.sms.exemplo.com/send", { method: "POST", body: await req.text() });
    return new Response(null, { status: r.ok ? 204 : 502 });
  },
};`,
      errors: [{ messageId: 'unprotectedWork', line: 4, column: 21, data: { what: 'fetch()', where: 'line 4', more: '' } }],
    },
    {
      name: 'Hono route without onError reads c.req.json() outside try',
      filename: fn('api'),
      code: `
import { Hono } from "jsr:@hono/hono";
const app = new Hono();
app.post("/lembretes", async (c) => {
  const { consultaId } = await c.req.json();
  return c.json({ agendado: consultaId }, 201);
});
Deno.serve(app.fetch);`,
      errors: [{ messageId: 'unprotectedWork', line: 5, column: 32 }],
    },
    {
      name: 'same-file helper with database work called outside try',
      filename: fn('webhook-whatsapp'),
      code: `
import { serve } from "https://deno.land/std@0.168.0/http/server.ts";
import { createClient } from "https://esm.sh/@supabase/supabase-js@2";
const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
async function salvarMensagem(texto: string) {
  await supabase.from("mensagens").insert({ texto });
}
serve(async (req) => {
  const url = new URL(req.url);
  await salvarMensagem(url.searchParams.get("texto") ?? "");
  return new Response("ok");
});`,
      errors: [{ messageId: 'unprotectedWork', line: 10, column: 9, data: { what: "salvarMensagem() → supabase.from('mensagens').insert()", where: 'line 6', more: '' } }],
    },
    {
      name: 'SDK call outside try',
      filename: fn('criar-assinatura'),
      code: `
import Stripe from "npm:stripe@17";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
Deno.serve(async (req) => {
  const email = new URL(req.url).searchParams.get("email")!;
  const cliente = await stripe.customers.create({ email });
  return Response.json({ id: cliente.id });
});`,
      errors: [{ messageId: 'unprotectedWork', line: 6, column: 25 }],
    },
    {
      name: 'catch answers with no status (200) and an error field',
      filename: fn('agendar-consulta'),
      code: `
Deno.serve(async (req) => {
  try {
    const dados = await req.json();
    return new Response(JSON.stringify({ ok: true, dados }), { status: 201 });
  } catch (e) {
    return new Response(JSON.stringify({ error: (e as Error).message }));
  }
});`,
      errors: [{ messageId: 'catchAnswers2xx', line: 7, column: 12 }],
    },
    {
      name: 'catch answers status 200 explicitly',
      filename: fn('webhook-whatsapp'),
      code: `
Deno.serve(async (req) => {
  try {
    const evento = await req.json();
    return new Response(JSON.stringify({ recebido: evento.id }));
  } catch (erro) {
    console.error(erro);
    return new Response("ok", { status: 200 });
  }
});`,
      errors: [{ messageId: 'catchAnswers2xx', line: 8, column: 12, data: { status: 'status 200' } }],
    },
    {
      name: 'Hono catch answers c.json({ error }) without a status',
      filename: fn('api'),
      code: `
import { Hono } from "jsr:@hono/hono";
const app = new Hono();
app.post("/pacientes", async (c) => {
  try {
    const paciente = await c.req.json();
    return c.json({ id: paciente.id }, 201);
  } catch (err) {
    return c.json({ error: "não foi possível salvar" });
  }
});
export default app;`,
      errors: [{ messageId: 'catchAnswers2xx', line: 9, column: 12 }],
    },
    {
      name: 'database error answered with 200 outside the catch',
      filename: fn('listar-consultas'),
      code: `
import { createClient } from "npm:@supabase/supabase-js@2";
const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!);
Deno.serve(async () => {
  try {
    const { data, error } = await supabase.from("consultas").select("*");
    if (error) return new Response(JSON.stringify({ error: error.message }));
    return Response.json(data);
  } catch {
    return new Response("erro", { status: 500 });
  }
});`,
      errors: [{ messageId: 'errorWith2xx', line: 7, column: 23 }],
    },
    {
      name: 'response helper that defaults to 200, used for an error',
      filename: fn('buscar-paciente'),
      code: `
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
Deno.serve(async (req) => {
  try {
    const { cpf } = await req.json();
    if (!cpf) return json({ error: "cpf obrigatório" });
    return json({ ok: true });
  } catch {
    return json({ error: "erro interno" }, 500);
  }
});`,
      errors: [{ messageId: 'errorWith2xx', line: 6, column: 22, data: { status: 'status 200' } }],
    },
    {
      name: 'top-level catch only rethrows',
      filename: fn('sincronizar-agenda'),
      code: `
Deno.serve(async (req) => {
  try {
    const r = await fetch("https://agenda.exemplo.com/sync", { method: "POST", body: await req.text() });
    return new Response(null, { status: r.ok ? 204 : 502 });
  } catch (error) {
    console.error("sync falhou", error);
    throw error;
  }
});`,
      errors: [{ messageId: 'catchRethrows', line: 8, column: 5 }],
    },
    {
      name: 'Response.json with an error field and status 200',
      filename: fn('validar-cupom'),
      code: `
export default {
  async fetch(req: Request) {
    try {
      const { codigo } = await req.json();
      if (codigo !== "BEMVINDO") return Response.json({ error: "cupom inválido" }, { status: 200 });
      return Response.json({ desconto: 10 });
    } catch {
      return Response.json({ error: "erro" }, { status: 500 });
    }
  },
};`,
      errors: [{ messageId: 'errorWith2xx', line: 6, column: 41 }],
    },
    {
      name: 'formData outside try in std serve',
      filename: fn('upload-exame'),
      code: `
import { serve } from "https://deno.land/std@0.177.0/http/server.ts";
serve(async (request) => {
  const form = await request.formData();
  const arquivo = form.get("exame") as File;
  return new Response(JSON.stringify({ nome: arquivo.name, tamanho: arquivo.size }), { status: 201 });
});`,
      errors: [{ messageId: 'unprotectedWork', line: 4, column: 22 }],
    },
    {
      name: 'rpc outside try, with a count of the others',
      filename: fn('fechar-caixa'),
      code: `
import { createClient } from "jsr:@supabase/supabase-js@2";
Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, { global: { headers: { Authorization: req.headers.get("Authorization")! } } });
  const { data: total } = await supabase.rpc("total_do_dia");
  await supabase.from("caixa").insert({ total });
  return Response.json({ total });
});`,
      errors: [{ messageId: 'unprotectedWork', line: 5, column: 33, data: { what: "supabase.rpc('total_do_dia')", where: 'line 5', more: ' (1 more call after it too)' } }],
    },
    {
      name: 'relatively imported helper with database work called outside try',
      filename: fn('nova-consulta'),
      code: `
import { registrarConsulta } from "../_shared/db.ts";
Deno.serve(async (req) => {
  const url = new URL(req.url);
  await registrarConsulta(url.searchParams.get("clinica")!, url.searchParams.get("paciente")!);
  return new Response(null, { status: 201 });
});`,
      errors: [{ messageId: 'unprotectedWork', line: 5, column: 9, data: { what: "registrarConsulta() → supabaseAdmin.from('consultas').insert()", where: '../_shared/db.ts line 6', more: '' } }],
    },
    {
      name: 'error field with 200 in a Hono app that has onError',
      filename: fn('api'),
      code: `
import { Hono } from "jsr:@hono/hono";
const app = new Hono();
app.get("/agenda", async (c) => {
  const r = await fetch("https://agenda.exemplo.com");
  if (!r.ok) return c.json({ erro: "agenda indisponível" }, 200);
  return c.json(await r.json());
});
app.onError((err, c) => c.json({ error: err.message }, 500));
Deno.serve(app.fetch);`,
      errors: [{ messageId: 'errorWith2xx', line: 6, column: 21 }],
    },
  ],
});
