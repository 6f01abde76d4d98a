import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { walk } from '../../src/analysis/ast.js';
import { findHandlers } from '../../src/analysis/handlers.js';
import {
  carriedFields,
  findLogHelpers,
  findSdkClients,
  handlerActivity,
  isTimestampValue,
  judgeCatch,
  logCallOf,
  responseStatus,
  type LoggingOptions,
} from '../../src/analysis/logging.js';
import { trackSupabaseClients } from '../../src/analysis/supabase-clients.js';
import { parseModule } from '../helpers/parse.js';

const options: LoggingOptions = {
  loggers: ['logger', 'log'],
  timestampedLoggers: [],
  timestampFields: ['at', 'timestamp', 'ts', 'time'],
  tenantFields: ['clinic_id', 'clinicId'],
};

function calls(program: TSESTree.Program): TSESTree.CallExpression[] {
  const out: TSESTree.CallExpression[] = [];
  walk(program, (n) => void (n.type === AST_NODE_TYPES.CallExpression && out.push(n)));
  return out;
}

function activity(code: string) {
  const program = parseModule(code);
  const { handlers } = findHandlers(program);
  const { queries } = trackSupabaseClients(program);
  const helpers = findLogHelpers(program, options);
  return handlerActivity(handlers[0], program, queries, findSdkClients(program), options, helpers);
}

describe('log calls', () => {
  it('reads levels and fields of console, loggers and JSON.stringify', () => {
    const program = parseModule(`
      console.info({ event: 'x', clinic_id, at: new Date().toISOString() });
      console.log(JSON.stringify({ clinicId: c.id, ts: Date.now() }));
      logger.error({ msg: 'x', error });
      const payload = { clinic_id: 'c', context: { time: 1 } };
      console.info(payload);
      console.info('done', clinicId);`);
    const logs = calls(program).map((c) => logCallOf(c, options, new Map())).filter((l) => l !== null);
    expect(logs.map((l) => [l!.label, l!.level, l!.tenant, l!.timestamp])).toEqual([
      ['console.info', 'info', true, true],
      ['console.log', 'log', true, true],
      ['logger.error', 'error', false, false],
      ['console.info', 'info', true, true],
      ['console.info', 'info', false, false],
    ]);
  });

  it('recognises timestamp values', () => {
    const values = parseModule('[new Date().toISOString(), Date.now(), new Date(), new Date(x), performance.now()]');
    const array = ((values.body[0] as TSESTree.ExpressionStatement).expression as TSESTree.ArrayExpression).elements;
    expect(array.map((e) => isTimestampValue(e!))).toEqual([true, true, true, false, false]);
  });

  it('finds local helpers that log what they are given', () => {
    const program = parseModule(`
      function logEvent(event, data) { console.info(JSON.stringify({ event, ...data, at: new Date().toISOString() })); }
      const logError = (where, err) => console.error(where, err);
      function banner() { console.info('starting'); }`);
    const helpers = findLogHelpers(program, options);
    expect(helpers.get('logEvent')).toEqual({ level: 'info', tenant: false, timestamp: true });
    expect(helpers.get('logError')?.level).toBe('error');
    expect(helpers.has('banner')).toBe(false);
    const call = parseModule(`logEvent('x', { clinic_id })`);
    const log = logCallOf(calls(call)[0], options, helpers);
    expect(log).toMatchObject({ level: 'info', tenant: true, timestamp: true });
    expect(carriedFields(calls(call)[0].arguments, options)).toEqual({ tenant: true, timestamp: false });
  });

  it('reads response statuses', () => {
    const exprs = parseModule(`[new Response('x'), new Response('x', { status: 500 }), Response.json({}, { status: 400 }), c.json({}, 201), forbiddenResponse(h), foo()]`);
    const array = ((exprs.body[0] as TSESTree.ExpressionStatement).expression as TSESTree.ArrayExpression).elements;
    expect(array.map((e) => responseStatus(e!))).toEqual([200, 500, 400, 201, 403, null]);
  });
});

describe('handler activity', () => {
  it('collects writes, external calls, success logs and catches across local helpers', () => {
    const a = activity(`
      import Stripe from 'npm:stripe';
      const stripe = new Stripe(key);
      async function save(admin, row) { await admin.from('payments').insert(row); }
      Deno.serve(async (req) => {
        try {
          await stripe.webhooks.constructEventAsync(b, s, k);
          await stripe.customers.create({});
          await save(supabaseAdmin, {});
          const { error } = await supabaseAdmin.from('appointments').update({ paid: true }).eq('id', 1);
          if (error) { console.info('failed'); return new Response('x', { status: 500 }); }
          console.info({ clinic_id, at: Date.now() });
          return new Response('ok');
        } catch (err) {
          console.info('in catch');
          return new Response('x', { status: 500 });
        }
      });`);
    expect(a.writes.map((w) => w.table)).toEqual(['payments', 'appointments']);
    expect(a.externalCalls.map((c) => c.label)).toEqual(['stripe.customers.create']);
    expect(a.successLogs).toHaveLength(1);
    expect(a.successLogs[0].tenant && a.successLogs[0].timestamp).toBe(true);
    expect(a.catches).toHaveLength(1);
  });
});

describe('judgeCatch', () => {
  const judge = (code: string) => {
    const a = activity(`Deno.serve(async (req) => {\n${code}\n});`);
    return a.catches.map((site) => judgeCatch(site, options, new Map()).kind);
  };

  it.each([
    ['try { await f(); } catch (e) {}', 'empty'],
    ['try { await f(); } catch (e) { return new Response("x", { status: 500 }); }', 'silent'],
    ['try { await f(); } catch (e) { console.error("x", e); return new Response("x", { status: 500 }); }', 'logs'],
    ['try { await f(); } catch (e) { const m = e instanceof Error ? e.message : String(e); console.error(m); }', 'logs'],
    ['try { await f(); } catch (e) { console.log(e); }', 'wrong-level'],
    ['try { await f(); } catch { console.error("failed"); }', 'without-error'],
    ['try { await f(); } catch (e) { throw new Error("wrapped", { cause: e }); }', 'rethrows'],
    ['let last; try { await f(); } catch (e) { last = e; }', 'rethrows'],
    ['try { await f(); } catch (e) { console.warn("optional step failed", e); }', 'logs'],
    ['try { await f(); } catch (e) { console.warn("x", e); return new Response("x", { status: 500 }); }', 'wrong-level'],
    ['try { await f(); } catch (e) { return new Response("bad", { status: 400 }); }', 'client-error'],
    ['try { JSON.parse(raw); } catch { return null; }', 'control-flow'],
    ['try { body = await req.json(); } catch { body = {}; }', 'control-flow'],
    ['try { await f(); } catch (e) { Sentry.captureException(e); }', 'logs'],
    ['await fetch(u).catch(() => {});', 'empty'],
  ])('%s → %s', (code, verdict) => {
    expect(judge(code)).toEqual([verdict]);
  });
});
