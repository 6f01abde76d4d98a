import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { walk } from '../../src/analysis/ast.js';
import { findHandlers } from '../../src/analysis/handlers.js';
import {
  VerificationAnalysis,
  findFailOpenSecrets,
  insecureSecretCompare,
  loadRelativeModule,
  moduleScope,
  secretConsumers,
  type Roles,
} from '../../src/analysis/verification.js';
import { parseModule } from '../helpers/parse.js';

function analyse(code: string, filename: string | null = null) {
  const program = parseModule(code);
  const scope = moduleScope(program, filename);
  const { handlers } = findHandlers(program);
  const analysis = new VerificationAnalysis();
  const h = handlers[0];
  const roles: Roles = { request: new Set(), honoContext: new Set(), raw: new Set() };
  if (h.requestParam) (h.requestVia === 'hono-context' ? roles.honoContext : roles.request).add(h.requestParam);
  return { program, summary: analysis.summarize(h.fn, scope, roles), analysis };
}

const lines = (nodes: Array<{ node: TSESTree.Node }>) => nodes.map((n) => n.node.loc.start.line);

describe('VerificationAnalysis', () => {
  it('finds body reads and service-role uses, and which ones a stopping verification covers', () => {
    const { summary } = analyse(`
import { createClient } from "npm:@supabase/supabase-js@2";
const admin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const raw = await req.text();
  const ok = await crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode(raw));
  if (!ok) return new Response("unauthorized", { status: 401 });
  const body = JSON.parse(raw);
  await admin.from("mensagens").insert(body);
  return new Response("ok");
});`);
    expect(summary.facts.map((f) => f.kind)).toEqual(['read', 'verify', 'read', 'risky', 'service']);
    expect(summary.exposures).toEqual([]);
    expect(summary.outcomes[0].stops.map((s) => s.node.type)).toEqual([AST_NODE_TYPES.IfStatement]);
  });

  it('does not let a verification inside one branch cover code after the branch', () => {
    const { summary } = analyse(`
Deno.serve(async (req) => {
  if (req.headers.get("x-source") === "stripe") {
    const event = await stripe.webhooks.constructEventAsync(await req.text(), sig, secret);
  }
  const dados = await req.clone().json();
  return new Response(dados.id);
});`);
    expect(lines(summary.exposures)).toEqual([6]);
  });

  it('summarises helpers: throwing, boolean, and responses on failure', () => {
    const { analysis, summary } = analyse(`
function assertSecret(req: Request) {
  if (!timingSafeEqual(enc.encode(req.headers.get("x-secret") ?? ""), enc.encode(SECRET))) throw new Error("unauthorized");
}
async function isValidSignature(raw: string, sig: string) {
  return await crypto.subtle.verify("HMAC", key, hex(sig), enc.encode(raw));
}
async function requireAuth(req: Request) {
  const { data: { user } } = await supabase.auth.getUser(req.headers.get("Authorization")!.slice(7));
  if (!user) return new Response("unauthorized", { status: 401 });
  return null;
}
Deno.serve(async (req) => {
  assertSecret(req);
  return new Response("ok");
});`);
    expect(summary.facts.map((f) => f.kind === 'verify' && f.vkind)).toEqual(['throws']);
    const byName = new Map(analysis.summaries().map((s) => [(s.fn as TSESTree.FunctionDeclaration).id?.name ?? 'handler', s.verifies]));
    expect(byName.get('assertSecret')).toBe('throws');
    const { analysis: a2 } = analyse(`
async function isValidSignature(raw: string, sig: string) { return await crypto.subtle.verify("HMAC", key, hex(sig), enc.encode(raw)); }
async function requireAuth(req: Request) {
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) return new Response("unauthorized", { status: 401 });
  return null;
}
Deno.serve(async (req) => {
  const raw = await req.text();
  if (!(await isValidSignature(raw, req.headers.get("x-signature")!))) return new Response("no", { status: 401 });
  const denied = await requireAuth(req);
  if (denied) return denied;
  return new Response(JSON.parse(raw).id);
});`);
    const kinds = new Map(a2.summaries().map((s) => [(s.fn as TSESTree.FunctionDeclaration).id?.name ?? 'handler', s.verifies]));
    expect(kinds.get('isValidSignature')).toBe('value');
    expect(kinds.get('requireAuth')).toBe('response');
    expect(a2.summaries().find((s) => !(s.fn as TSESTree.FunctionDeclaration).id)?.exposures).toEqual([]);
  });

  it('marks ignored results, swallowed throws and skipped checks', () => {
    const { summary } = analyse(`
Deno.serve(async (req) => {
  const raw = await req.text();
  await crypto.subtle.verify("HMAC", key, sig, raw);
  let event;
  try { event = await stripe.webhooks.constructEventAsync(raw, sig, secret); } catch (e) { console.error(e); }
  if (WEBHOOK_SECRET) { wh.verify(raw, headers); }
  await admin.from("eventos").insert({ event });
  return new Response("ok");
});`);
    const [ignored, swallowed, skipped] = summary.outcomes;
    expect(ignored.notEnforced).toBe(true);
    expect(swallowed.swallowedBy?.loc.start.line).toBe(6);
    expect(skipped.skippedUnless?.loc.start.line).toBe(7);
  });

  it('follows flags set when authentication passed', () => {
    const { summary } = analyse(`
Deno.serve(async (req) => {
  let autorizado = false;
  const { data, error } = await supabase.auth.getClaims(token);
  if (!error && data?.claims) { autorizado = true; }
  if (!autorizado) return new Response("forbidden", { status: 403 });
  await supabaseAdmin.from("clinicas").delete().eq("id", (await req.json()).id);
  return new Response(null, { status: 204 });
});`);
    expect(summary.exposures).toEqual([]);
  });

  it('lists risky work a try/catch does not cover', () => {
    const { summary } = analyse(`
Deno.serve(async (req) => {
  const body = await req.json();
  try { await fetch("https://api.exemplo.com", { method: "POST", body: JSON.stringify(body) }); } catch { return new Response("x", { status: 502 }); }
  await fetch("https://hooks.exemplo.com").catch(() => null);
  EdgeRuntime.waitUntil(fetch("https://fila.exemplo.com"));
  return new Response("ok");
});`);
    expect(lines(summary.unprotected)).toEqual([3]);
  });
});

describe('relative imports', () => {
  it('loads, parses and caches helpers from disk', () => {
    const root = mkdtempSync(join(tmpdir(), 'supagate-verif-'));
    mkdirSync(join(root, 'supabase/functions/_shared'), { recursive: true });
    writeFileSync(join(root, 'supabase/functions/_shared/assinatura.ts'), `export async function verificarAssinatura(req: Request) { const ok = await crypto.subtle.verify("HMAC", k, s, d); if (!ok) throw new Error("x"); }`);
    const from = join(root, 'supabase/functions/webhook/index.ts');
    const first = loadRelativeModule(from, '../_shared/assinatura.js');
    expect(first?.exported.has('verificarAssinatura')).toBe(true);
    expect(loadRelativeModule(from, '../_shared/assinatura.ts')).toBe(first);
    expect(loadRelativeModule(from, 'npm:stripe')).toBeNull();
    const { summary } = analyse(`
import { verificarAssinatura } from "../_shared/assinatura.ts";
Deno.serve(async (req) => { await verificarAssinatura(req); const b = await req.json(); return new Response(b.id); });`, from);
    expect(summary.exposures).toEqual([]);
  });
});

describe('secrets', () => {
  const compares = (code: string) => {
    const out: boolean[] = [];
    walk(parseModule(code), (n) => {
      if (n.type === AST_NODE_TYPES.BinaryExpression) out.push(insecureSecretCompare(n));
    });
    return out;
  };
  it('recognises === on secrets and signatures, not on types, lengths or literals', () => {
    expect(compares(`a = signature === expectedSignature; b = req.headers.get("x-api-key") !== Deno.env.get("API_KEY"); c = auth !== \`Bearer \${serviceKey}\``)).toEqual([true, true, true]);
    expect(compares(`a = token === null; b = tokenType === "Bearer"; c = secret.length !== 32; d = event.type === other.type; e = typeof secret === "string"; f = firstToken === firstToken.toLowerCase()`)).toEqual([false, false, false, false, false, false]);
  });
  it('finds empty fallbacks used as verification secrets, unless checked', () => {
    const open = parseModule(`const s = Deno.env.get("STRIPE_WEBHOOK_SECRET") ?? ""; await stripe.webhooks.constructEventAsync(b, sig, s);`);
    expect(findFailOpenSecrets(open, secretConsumers(open, [])).map((f) => f.envName)).toEqual(['STRIPE_WEBHOOK_SECRET']);
    const closed = parseModule(`const s = Deno.env.get("STRIPE_WEBHOOK_SECRET") ?? ""; if (!s) throw new Error("unset"); await stripe.webhooks.constructEventAsync(b, sig, s);`);
    expect(findFailOpenSecrets(closed, secretConsumers(closed, []))).toEqual([]);
    const client = parseModule(`const k = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") ?? ""; const supabase = createClient(url, k);`);
    expect(findFailOpenSecrets(client, secretConsumers(client, []))).toEqual([]);
  });
});
