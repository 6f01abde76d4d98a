import { parse } from '@typescript-eslint/parser';
import type { TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { findHandlers } from '../../src/analysis/handlers.js';

function discover(code: string) {
  const program = parse(code, { loc: true, range: true, sourceType: 'module' }) as TSESTree.Program;
  return findHandlers(program);
}

describe('findHandlers', () => {
  it('finds an inline Deno.serve handler and its request parameter', () => {
    const { handlers } = discover(`Deno.serve(async (req: Request) => new Response('ok'));`);
    expect(handlers).toHaveLength(1);
    expect(handlers[0]).toMatchObject({ form: 'Deno.serve', requestParam: 'req', requestVia: 'request' });
    expect(handlers[0].fn.loc.start).toEqual({ line: 1, column: 11 });
  });

  it('resolves Deno.serve(options, handler) to a top-level function declaration', () => {
    const { handlers } = discover(`
      async function handleStripeEvent(request: Request): Promise<Response> { return new Response(null) }
      Deno.serve({ port: 8000 }, handleStripeEvent);`);
    expect(handlers.map((h) => [h.form, h.requestParam])).toEqual([['Deno.serve', 'request']]);
  });

  it('resolves Deno.serve({ handler }) and std serve(h) with a const arrow function', () => {
    const { handlers } = discover(`
      import { serve } from "https://deno.land/std@0.168.0/http/server.ts";
      const handler = async (req) => new Response("ok");
      serve(handler);
      Deno.serve({ handler: async (r) => new Response('x'), port: 1 });`);
    expect(handlers.map((h) => h.form)).toEqual(['std-serve', 'Deno.serve']);
  });

  it('finds export default { fetch } in method and property form', () => {
    expect(discover(`export default { async fetch(req: Request) { return new Response('ok') } }`).handlers[0]).toMatchObject({
      form: 'export-default-fetch',
      requestParam: 'req',
    });
    const viaName = discover(`const fetch = (req) => new Response(''); export default { fetch } satisfies Deno.ServeDefaultExport;`);
    expect(viaName.handlers).toHaveLength(1);
  });

  it('finds Hono routes and middleware, on chains and basePath apps, and records onError', () => {
    const { handlers, honoAppsWithOnError, servesRequests } = discover(`
      import { Hono } from 'jsr:@hono/hono';
      const app = new Hono().basePath('/whatsapp-webhook');
      app.use('*', async (c, next) => { await next() });
      app.post('/', async (c) => c.json({ ok: true })).get('/health', (c) => c.text('ok'));
      app.onError((err, c) => c.json({ error: 'internal' }, 500));
      Deno.serve(app.fetch);`);
    expect(handlers.map((h) => [h.form, h.route?.method, h.route?.path, h.requestVia])).toEqual([
      ['hono-middleware', 'USE', '*', 'hono-context'],
      ['hono-route', 'GET', '/health', 'hono-context'],
      ['hono-route', 'POST', '/', 'hono-context'],
    ]);
    expect([...honoAppsWithOnError]).toEqual(['app']);
    expect(servesRequests).toBe(true);
  });

  it('reports a server whose handler cannot be resolved, and nothing for a plain module', () => {
    const imported = discover(`import { handler } from './handler.ts'; Deno.serve(handler);`);
    expect(imported.handlers).toHaveLength(0);
    expect(imported.servesRequests).toBe(true);
    expect(discover(`export function maskCpf(cpf: string) { return cpf.slice(-2) }`).servesRequests).toBe(false);
  });
});
