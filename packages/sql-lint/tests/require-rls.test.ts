import { describe, expect, it } from 'vitest';
import { findings, lint } from './helpers.js';

const only = { rules: { 'require-tenant-column': 'off', 'rls-without-policy': 'off' } } as const;

describe('require-rls', () => {
  it('flags a table in public without RLS at its CREATE TABLE, with a fix in the message', async () => {
    const { diagnostics } = await lint({ '20240101000000_payments.sql': '\n\ncreate table public.payments (id uuid primary key);\n' }, only);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      ruleId: 'require-rls',
      severity: 'error',
      file: 'supabase/migrations/20240101000000_payments.sql',
      line: 3,
      column: 1,
      object: 'public.payments',
    });
    expect(diagnostics[0].message).toBe(
      'table public.payments has no row level security: anyone with the anon key can read and write it — add `alter table public.payments enable row level security`.',
    );
  });

  it('accepts RLS enabled in a later file than the CREATE', async () => {
    expect(
      await findings(
        {
          '20240101000000_create.sql': 'create table payments (id uuid primary key);',
          '20240301000000_rls.sql': 'alter table public.payments enable row level security;',
        },
        only,
      ),
    ).toEqual([]);
  });

  it('orders files by version prefix, not by the order given', async () => {
    const result = await findings(
      {
        '20240301000000_rls.sql': 'alter table public.payments enable row level security;',
        '20240101000000_create.sql': 'create table payments (id uuid primary key);',
      },
      only,
    );
    expect(result).toEqual([]);
  });

  it('does not count ENABLE run before the table exists', async () => {
    expect(
      await findings(
        { '1_leads.sql': 'alter table if exists public.leads enable row level security;\ncreate table public.leads (id uuid);' },
        only,
      ),
    ).toEqual(['require-rls 1_leads.sql:2:1']);
  });

  it('reports at the DISABLE ROW LEVEL SECURITY that turned it off', async () => {
    const { diagnostics } = await lint(
      {
        '1_create.sql': 'create table payments (id uuid);\nalter table payments enable row level security;\ncreate policy p on payments to authenticated using (true);',
        '2_oops.sql': '-- temporary\n  alter table payments disable row level security;',
      },
      { ...only, rules: { ...only.rules, 'policy-without-rls': 'off' } },
    );
    expect(diagnostics.map((d) => `${d.ruleId} ${d.file}:${d.line}:${d.column}`)).toEqual([
      'require-rls supabase/migrations/2_oops.sql:2:3',
    ]);
    expect(diagnostics[0].message).toMatch(/turned off here/);
  });

  it('follows renames: the table is reported under its final name at its CREATE', async () => {
    const { diagnostics } = await lint(
      {
        '1_a.sql': 'create table invoices_old (id uuid);\nalter table invoices_old rename to invoices;',
        '2_b.sql': 'alter table invoices set schema billing;\ncreate schema billing;',
      },
      only,
    );
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.object])).toEqual([]);
    const renamed = await lint({ '1_a.sql': 'create table invoices_old (id uuid);\nalter table invoices_old rename to invoices;' }, only);
    expect(renamed.diagnostics.map((d) => [d.ruleId, d.line, d.object])).toEqual([['require-rls', 1, 'public.invoices']]);
    expect(renamed.model.tables.has('public.invoices')).toBe(true);
    expect(renamed.model.tables.has('public.invoices_old')).toBe(false);
  });

  it('enabling RLS under the old name before a rename still counts', async () => {
    expect(
      await findings(
        { '1_a.sql': 'create table a (id uuid);\nalter table a enable row level security;\nalter table a rename to b;' },
        only,
      ),
    ).toEqual([]);
  });

  it('keeps quoted mixed-case names apart from lower-case ones', async () => {
    const { diagnostics } = await lint(
      {
        '1_a.sql': 'create table "Patients" (id uuid);\nalter table patients enable row level security;\ncreate table patients (id uuid);',
      },
      only,
    );
    expect(diagnostics.map((d) => [d.line, d.object])).toEqual([
      [1, 'public."Patients"'],
      [3, 'public.patients'],
    ]);
    expect(diagnostics[0].message).toContain('alter table public."Patients" enable row level security');
    expect(
      await findings({ '1_a.sql': 'create table "Patients" (id uuid);\nALTER TABLE "Patients" ENABLE ROW LEVEL SECURITY;' }, only),
    ).toEqual([]);
  });

  it('ignores schemas the API does not expose, and checks the ones configured', async () => {
    const files = { '1_a.sql': 'create schema private;\ncreate table private.secrets (id uuid);\ncreate table api.things (id uuid);' };
    expect(await findings(files, only)).toEqual([]);
    expect(await findings(files, { ...only, exposedSchemas: ['public', 'api'] })).toEqual(['require-rls 1_a.sql:3:1']);
  });

  it('understands pg_dump output: SET, set_config search_path, ALTER TABLE ONLY, OWNER TO, GRANT', async () => {
    const dump = `SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);
SET default_tablespace = '';
CREATE TABLE IF NOT EXISTS "public"."appointments" (
    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL,
    "clinic_id" "uuid" NOT NULL
);
ALTER TABLE "public"."appointments" OWNER TO "postgres";
CREATE TABLE IF NOT EXISTS "public"."audit" (
    "id" bigint NOT NULL
);
ALTER TABLE "public"."audit" OWNER TO "postgres";
ALTER TABLE ONLY "public"."appointments"
    ADD CONSTRAINT "appointments_pkey" PRIMARY KEY ("id");
ALTER TABLE "public"."appointments" ENABLE ROW LEVEL SECURITY;
GRANT ALL ON TABLE "public"."appointments" TO "anon";
GRANT ALL ON TABLE "public"."audit" TO "authenticated";
RESET ALL;
`;
    expect(await findings({ '20240101000000_remote_schema.sql': dump }, only)).toEqual([
      'require-rls 20240101000000_remote_schema.sql:10:1',
    ]);
  });

  it('resolves unqualified names through SET search_path in the file', async () => {
    const files = {
      '1_a.sql': 'set search_path to app, public;\ncreate table things (id uuid);\nalter table things enable row level security;',
      '2_b.sql': 'create table things (id uuid);',
    };
    const { diagnostics, model } = await lint(files, { ...only, exposedSchemas: ['public', 'app'] });
    expect(diagnostics.map((d) => [d.file.slice(-7), d.line, d.object])).toEqual([['2_b.sql', 1, 'public.things']]);
    expect([...model.tables.keys()].sort()).toEqual(['app.things', 'public.things']);
  });

  it('checks CTAS tables and partitions, not temporary tables', async () => {
    const sql = `create table events (id uuid, at date) partition by range (at);
create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01');
alter table events enable row level security;
create table report as select id from events;
create temporary table scratch (id int);`;
    expect(await findings({ '1_a.sql': sql }, only)).toEqual(['require-rls 1_a.sql:2:1', 'require-rls 1_a.sql:4:1']);
  });

  it('sees RLS enabled inside a DO block', async () => {
    const sql = `create table notes (id uuid);
do $$
begin
  if not exists (select 1 from pg_class where relname = 'notes' and relrowsecurity) then
    alter table notes enable row level security;
  end if;
end $$;`;
    expect(await findings({ '1_a.sql': sql }, only)).toEqual([]);
  });

  it('does not ask for RLS on foreign tables, which cannot have it', async () => {
    expect(await findings({ '1_a.sql': 'create foreign table remote_orders (id int) server billing;' }, only)).toEqual([]);
  });

  it('drops the table with DROP TABLE', async () => {
    expect(await findings({ '1_a.sql': 'create table tmp_import (id int);\ndrop table if exists tmp_import cascade;' }, only)).toEqual([]);
  });
});
