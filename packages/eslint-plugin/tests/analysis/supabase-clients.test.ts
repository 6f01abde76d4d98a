import { describe, expect, it } from 'vitest';
import { trackSupabaseClients } from '../../src/analysis/supabase-clients.js';
import { parseModule } from '../helpers/parse.js';

function track(code: string) {
  return trackSupabaseClients(parseModule(code));
}

describe('trackSupabaseClients', () => {
  it('tells a service-role client from a user client built with the caller JWT', () => {
    const { variables } = track(`
      import { createClient } from 'https://esm.sh/@supabase/supabase-js@2';
      const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
      Deno.serve(async (req) => {
        const userClient = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
          global: { headers: { Authorization: req.headers.get('Authorization')! } },
        });
        return new Response('ok');
      });`);
    expect(variables.get('admin')).toBe('service-role');
    expect(variables.get('userClient')).toBe('user');
  });

  it('follows the key through a variable and a local helper function', () => {
    const { variables } = track(`
      const serviceKey = Deno.env.get('SUPABASE_SECRET_KEY') ?? '';
      function getDb() { return createClient(url, serviceKey) }
      const db = getDb();`);
    expect(variables.get('db')).toBe('service-role');
  });

  it('trusts conventional admin names for imported helpers and clients', () => {
    const { queries } = track(`
      import { supabaseAdmin } from '../_shared/supabaseAdmin.ts';
      import { adminClient } from '../_shared/db.ts';
      await supabaseAdmin.from('pacientes').update({ telefone }).eq('id', id);
      await adminClient().from('payments').insert({ clinic_id, amount });`);
    expect(queries.map((q) => [q.table, q.operation, q.client, q.filters.map((f) => f.method)])).toEqual([
      ['pacientes', 'update', 'service-role', ['eq']],
      ['payments', 'insert', 'service-role', []],
    ]);
  });

  it('reads whole chains and ignores Array.from', () => {
    const { queries } = track(`
      const supabase = createClient(url, key);
      const ids = Array.from(new Set([1, 2]));
      const { data } = await supabase.from('appointments').select('id, starts_at').eq('clinic_id', clinicId).single();
      await supabase.rpc('is_clinic_member', { clinic_id: clinicId });`);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatchObject({ table: 'appointments', operation: 'select', client: 'unknown' });
    expect(queries[0].filters.map((f) => f.method)).toEqual(['eq', 'single']);
    expect(queries[0].top.loc.start.line).toBe(4);
    expect(queries[1].operation).toBe('rpc');
  });
});
