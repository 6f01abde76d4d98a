import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { walk } from '../../src/analysis/ast.js';
import { findHandlers } from '../../src/analysis/handlers.js';
import { trackSupabaseClients } from '../../src/analysis/supabase-clients.js';
import {
  checkFilters,
  checkRows,
  isTenantScopedTable,
  originOf,
  patternKeys,
  tenantNames,
  traceContext,
  wasChecked,
} from '../../src/analysis/tenant.js';
import { parseModule } from '../helpers/parse.js';

function setup(code: string) {
  const program = parseModule(code);
  const clients = trackSupabaseClients(program);
  const ctx = traceContext(findHandlers(program).handlers, clients.queries);
  return { program, clients, ctx };
}

/** The last expression statement `probe(x)`'s argument. */
function probe(program: TSESTree.Program): TSESTree.Node {
  let found: TSESTree.Node | null = null;
  walk(program, (n) => {
    if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.Identifier && n.callee.name === 'probe') found = n.arguments[0];
  });
  if (!found) throw new Error('no probe');
  return found;
}

describe('originOf', () => {
  const handler = (body: string) => `Deno.serve(async (req) => {\n${body}\n});`;

  it.each([
    ['const body = await req.json(); probe(body.clinic_id);', 'request-body', 'body.clinic_id'],
    ['const { clinic_id: id } = await req.json(); probe(id);', 'request-body', 'req.json().clinic_id'],
    ['const url = new URL(req.url); probe(url.searchParams.get("clinic"));', 'request-query', "url.searchParams.get('clinic')"],
    ['probe(req.headers.get("x-clinic-id"));', 'request-header', "req.headers.get('x-clinic-id')"],
    ['const raw = await req.text(); const p = JSON.parse(raw); probe(p.clinicId);', 'request-body', 'p.clinicId'],
    ['const event = await stripe.webhooks.constructEventAsync(b, s, k); const s2 = event.data.object; probe(s2.metadata.clinic_id);', 'webhook-payload', 's2.metadata.clinic_id'],
    ['const { data } = await admin.from("clinics").select("id").eq("slug", "x").single(); probe(data.id);', 'database', 'data.id'],
    ['const { data: { user } } = await admin.auth.getUser(t); probe(user.app_metadata.clinic_id);', 'verified-user', 'user.app_metadata.clinic_id'],
    ['const { data: { user } } = await admin.auth.getUser(t); probe(user.user_metadata.clinic_id);', 'user-metadata', 'user.user_metadata.clinic_id'],
    ['probe(Deno.env.get("CLINIC_ID"));', 'environment', 'Deno.env.get'],
    ['const { items } = await req.json(); for (const item of items) probe(String(item.clinic_id).trim());', 'request-body', 'item.clinic_id'],
    ['probe(someImport.clinicId);', 'unknown', 'someImport.clinicId'],
  ])('%s → %s', (body, kind, label) => {
    const { program, ctx } = setup(`const admin = createClient(u, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY'));\n${handler(body)}`);
    const origin = originOf(probe(program), ctx);
    expect(origin.kind).toBe(kind);
    if (kind !== 'environment') expect(origin.label).toBe(label);
  });

  it('reads Hono requests through the context', () => {
    const { program, ctx } = setup(`const app = new Hono();\napp.post('/x/:id', async (c) => { const p = await c.req.json(); probe(c.req.param('id') ?? p.clinic_id); });`);
    expect(originOf(probe(program), ctx).kind).toMatch(/request-(path|body)/);
  });

  it('gives the same canonical identity to a value under two names', () => {
    const { program, ctx } = setup(handler('const body = await req.json(); const a = body.clinic_id; const { clinic_id: b } = body; probe([a, b]);'));
    const arr = probe(program) as TSESTree.ArrayExpression;
    const [a, b] = arr.elements.map((e) => originOf(e!, ctx).canonical);
    expect(a).not.toBeNull();
    expect(a).toBe(b);
  });
});

describe('rows and filters', () => {
  const names = tenantNames('clinic_id');

  it('derives names from the tenant column', () => {
    expect(tenantNames('clinic_id')).toMatchObject({ column: 'clinic_id', tenantTable: 'clinics', variable: 'clinicId' });
    expect(tenantNames('clinicId')).toMatchObject({ column: 'clinic_id', tenantTable: 'clinics' });
    expect(tenantNames('company_id').tenantTable).toBe('companies');
    expect(isTenantScopedTable('clinics', names, [])).toBe(false);
    expect(isTenantScopedTable('appointments', names, [])).toBe(true);
    expect(isTenantScopedTable('public.appointments', names, ['appointments'])).toBe(true);
    expect(isTenantScopedTable('cid10', names, ['appointments'])).toBe(false);
  });

  it('reads destructuring patterns', () => {
    const program = parseModule('const { data: { user }, error } = x; const [first] = y;');
    const decls: TSESTree.VariableDeclarator[] = [];
    walk(program, (n) => void (n.type === AST_NODE_TYPES.VariableDeclarator && decls.push(n)));
    expect(patternKeys(decls[0].id, 'user')).toEqual(['data', 'user']);
    expect(patternKeys(decls[0].id, 'error')).toEqual(['error']);
    expect(patternKeys(decls[1].id, 'first')).toEqual(['[]']);
    expect(patternKeys(decls[1].id, 'other')).toBeNull();
  });

  it('classifies rows: literal, shorthand, spread, array, map, push, mutation, unknown', () => {
    const { program, ctx } = setup(`
      const base = { clinic_id: c.id };
      const row = { nome: 'x' }; row.clinic_id = c.id;
      const list = []; list.push({ clinic_id });
      probe([{ clinic_id }, { ...base, a: 1 }, { nome: 'x' }, row, list, xs.map((x) => ({ clinicId: x })), build()]);`);
    const statuses = checkRows(probe(program), names, ctx).map((r) => r.status);
    expect(statuses).toEqual(['scoped', 'scoped', 'missing', 'scoped', 'scoped', 'scoped', 'unknown']);
  });

  it('finds the tenant filter in eq, filter, match and single-value in', () => {
    const { clients, ctx } = setup(`
      const admin = createClient(u, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY'));
      admin.from('a').delete().eq('clinic_id', x);
      admin.from('a').delete().filter('clinic_id', 'eq', x);
      admin.from('a').delete().match({ clinic_id: x });
      admin.from('a').delete().in('clinic_id', [x]);
      admin.from('a').delete().in('clinic_id', [x, y]);
      admin.from('a').delete().eq('id', x);`);
    const result = clients.queries.map((q) => checkFilters(q.filters.map((f) => f.call), names, ctx).status);
    expect(result).toEqual(['scoped', 'scoped', 'scoped', 'scoped', 'missing', 'missing']);
  });

  it('sees a lookup or a comparison before the write as a check of an untrusted id', () => {
    const { clients, ctx } = setup(`
      const admin = createClient(u, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY'));
      Deno.serve(async (req) => {
        const body = await req.json();
        await admin.from('notes').insert({ clinic_id: body.clinic_id });
        const { data } = await admin.from('clinics').select('id').eq('id', body.clinic_id).single();
        await admin.from('notes').insert({ clinic_id: body.clinic_id });
      });`);
    const [firstWrite, , secondWrite] = clients.queries;
    const value = (q: typeof firstWrite) => ((q.operationCall!.arguments[0] as TSESTree.ObjectExpression).properties[0] as TSESTree.Property).value;
    const origin = originOf(value(firstWrite), ctx);
    expect(origin.kind).toBe('request-body');
    expect(wasChecked(origin, firstWrite.top, clients.queries, ctx)).toBe(false);
    expect(wasChecked(originOf(value(secondWrite), ctx), secondWrite.top, clients.queries, ctx)).toBe(true);
  });
});
