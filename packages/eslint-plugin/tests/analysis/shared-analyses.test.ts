import type { TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { findHandlers } from '../../src/analysis/handlers.js';
import { createPiiVocabulary, splitWords } from '../../src/analysis/pii.js';
import { VerificationAnalysis, handlerRoles, moduleScope, summarizeHandlers } from '../../src/analysis/verification.js';
import { parseModule } from '../helpers/parse.js';

const CODE = `
import Stripe from 'npm:stripe';
const stripe = new Stripe(Deno.env.get('STRIPE_KEY')!);
async function readBody(req: Request) { return await req.json(); }
function helper(x: number) { return x + 1; }
Deno.serve(async (req) => {
  const sig = req.headers.get('stripe-signature')!;
  const body = await req.text();
  const event = await stripe.webhooks.constructEventAsync(body, sig, Deno.env.get('WH')!);
  const again = await readBody(req);
  await fetch('https://example.com', { method: 'POST', body: JSON.stringify(again) });
  return new Response(String(helper(1)));
});
`;

describe('summarizeHandlers (the analysis two rules share)', () => {
  it('gives what a fresh analysis of the handlers gives', () => {
    const program = parseModule(CODE);
    const scope = moduleScope(program, null);
    const { handlers } = findHandlers(program);
    expect(handlers.length).toBeGreaterThan(0);
    const fresh = new VerificationAnalysis({});
    const expected = handlers.map((h) => fresh.summarize(h.fn, scope, handlerRoles(h)));
    const shared = summarizeHandlers(program, scope, handlers, {}, false);
    const strip = (s: { facts: unknown[]; exposures: unknown[]; verifies: unknown; unprotected: unknown[] }) =>
      JSON.stringify([s.facts.length, s.exposures.length, s.verifies, s.unprotected.length]);
    expect(handlers.map((h) => strip(shared.summaries.get(h)!))).toEqual(expected.map(strip));
    expect(shared.reached.map((s) => s.fn)).toEqual(fresh.summaries().map((s) => s.fn));
    expect(shared.analysis).toBeNull();
  });

  it('computes once per file and options, and hands the analysis to one taker only', () => {
    const program = parseModule(CODE);
    const scope = moduleScope(program, null);
    const { handlers } = findHandlers(program);
    const first = summarizeHandlers(program, scope, handlers, {}, false);
    const taken = summarizeHandlers(program, scope, handlers, { verifiers: [], timingSafe: [] }, true);
    expect(taken.summaries).toBe(first.summaries);
    expect(taken.analysis).not.toBeNull();
    // The taker summarizes more; readers still get the handler phase as it was.
    taken.analysis!.summarize(handlers[0].fn, scope, { request: new Set(), honoContext: new Set(), raw: new Set(['x']) });
    expect(summarizeHandlers(program, scope, handlers, {}, false).reached).toBe(first.reached);
    const second = summarizeHandlers(program, scope, handlers, {}, true);
    expect(second.analysis).not.toBe(taken.analysis);
    expect(second.analysis!.summaries().length).toBe(first.reached.length);
    // Other options: another analysis.
    const other = summarizeHandlers(program, scope, handlers, { verifiers: ['checkIt'] }, false);
    expect(other.summaries).not.toBe(first.summaries);
  });
});

describe('PII vocabulary caches', () => {
  it('shares one vocabulary per options, with the same answers', () => {
    expect(createPiiVocabulary()).toBe(createPiiVocabulary({ extra: [], veto: [] }));
    expect(createPiiVocabulary({ extra: ['matricula'] })).not.toBe(createPiiVocabulary());
    const v = createPiiVocabulary();
    expect(v.match('name')).toBeNull();
    expect(v.match('name', { person: true })?.category).toBe('name');
    expect(v.match('name')).toBeNull();
    expect(v.match('patientEmail')?.category).toBe('email');
    expect(v.match('patientEmail')).toBe(v.match('patientEmail'));
    expect(createPiiVocabulary({ extra: ['matricula'] }).match('matricula')?.category).toBe('custom');
  });

  it('splits words the same from the cache', () => {
    expect(splitWords('nomeCompleto_PACIENTE')).toEqual(['nome', 'completo', 'paciente']);
    expect(splitWords('nomeCompleto_PACIENTE')).toEqual(['nome', 'completo', 'paciente']);
    expect(splitWords('Ação2Fast')).toEqual(['acao', '2', 'fast']);
  });
});

describe('trackSupabaseClients query order', () => {
  const code = `
import { createClient } from 'npm:@supabase/supabase-js';
const sb = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
async function f() {
  await sb.from('a').insert(await sb.from('b').select('id').eq('x', (await sb.from('c').select()).data));
  const g = () => sb.rpc('r', { p: 1 });
  return Promise.all([sb.from('d').select(), g()]);
}
`;
  it('lists chains as the direct traversal finds them (arguments before callee), with enclosing functions', async () => {
    const { parse } = await import('@typescript-eslint/parser');
    const { trackSupabaseClients } = await import('../../src/analysis/supabase-clients.js');
    const withParents = trackSupabaseClients(parseModule(code)).queries;
    // Without parent pointers the plugin falls back to the direct traversal: same order.
    const bare = parse(code, { loc: true, range: true, sourceType: 'module' }) as TSESTree.Program;
    expect(bare.body[0].parent).toBeUndefined();
    const describeAll = (qs: typeof withParents) => qs.map((q) => `${q.table ?? q.operation}@${q.enclosingFunction?.type ?? 'module'}`);
    expect(describeAll(withParents)).toEqual(['c@FunctionDeclaration', 'b@FunctionDeclaration', 'a@FunctionDeclaration', 'r@ArrowFunctionExpression', 'd@FunctionDeclaration']);
    expect(describeAll(trackSupabaseClients(bare).queries)).toEqual(describeAll(withParents));
  });
});
