import { describe, expect, it } from 'vitest';
import { CLINICS, findings, lint } from './helpers.js';

describe('security-definer-search-path', () => {
  const rule = 'security-definer-search-path';

  it('flags a SECURITY DEFINER function without SET search_path at its CREATE', async () => {
    const sql = `-- função auxiliar
create or replace function public.is_clinic_member(target uuid)
returns boolean language sql stable security definer
as $$ select exists (select 1 from public.clinic_members where clinic_id = target and user_id = auth.uid()) $$;`;
    const { diagnostics } = await lint({ '1_fn.sql': sql });
    const d = diagnostics.filter((x) => x.ruleId === rule);
    expect(d.map((x) => [x.line, x.column, x.severity, x.object])).toEqual([[2, 1, 'error', 'public.is_clinic_member']]);
    expect(d[0].message).toContain('function public.is_clinic_member(uuid) is SECURITY DEFINER but does not set search_path');
  });

  it('accepts SET search_path in the definition or added by ALTER FUNCTION, and invoker functions', async () => {
    expect(
      await findings(
        {
          '1_fn.sql': `create function a() returns void language plpgsql security definer set search_path = '' as $$ begin end $$;
create function b(x int) returns int language sql security definer as 'select x';
create function c() returns int language sql as 'select 1';`,
          '2_fix.sql': 'alter function public.b(integer) set search_path = public, pg_temp;',
        },
        {},
        rule,
      ),
    ).toEqual([]);
  });

  it('reports at the CREATE OR REPLACE that dropped the setting, and at ALTER … SECURITY DEFINER', async () => {
    expect(
      await findings(
        {
          '1_fn.sql': `create function a() returns void language plpgsql security definer set search_path = '' as $$ begin end $$;
create function b() returns void language plpgsql as $$ begin end $$;`,
          '2_redo.sql': `create or replace function a() returns void language plpgsql security definer as $$ begin end $$;
alter function b() security definer;`,
        },
        {},
        rule,
      ),
    ).toEqual([`${rule} 2_redo.sql:1:1`, `${rule} 2_redo.sql:2:1`]);
  });

  it('forgets dropped functions', async () => {
    expect(
      await findings(
        { '1_fn.sql': 'create function a() returns void language sql security definer as $$ select $$;\ndrop function a();' },
        {},
        rule,
      ),
    ).toEqual([]);
  });
});

describe('view-bypasses-rls', () => {
  const rule = 'view-bypasses-rls';
  const base = `${CLINICS}create table public.patients (id uuid primary key, clinic_id uuid not null references public.clinics(id), name text);
alter table public.patients enable row level security;
`; // patients at line 4

  it('flags a view over a tenant table without security_invoker, at the CREATE VIEW', async () => {
    const { diagnostics } = await lint({ '1_v.sql': `${base}create view public.patient_names as select p.id, p.name from patients p;` });
    const d = diagnostics.filter((x) => x.ruleId === rule);
    expect(d.map((x) => [x.line, x.column, x.object])).toEqual([[6, 1, 'public.patient_names']]);
    expect(d[0].message).toContain('returns rows of public.patients to every API user');
    expect(d[0].message).toContain('with (security_invoker = true)');
  });

  it('accepts security_invoker set at creation or by ALTER VIEW, and views in private schemas', async () => {
    expect(
      await findings(
        {
          '1_v.sql': `${base}create view a with (security_invoker = true) as select * from patients;
create view b as select * from patients;
alter view b set (security_invoker = on);
create schema reporting;
create view reporting.c as select * from public.patients;`,
        },
        {},
        rule,
      ),
    ).toEqual([]);
  });

  it('sees through other views and CREATE OR REPLACE without the option', async () => {
    expect(
      await findings(
        {
          '1_v.sql': `${base}create view inner_v with (security_invoker) as select * from patients;
create view outer_v as with x as (select * from inner_v) select * from x;`,
          '2_v.sql': 'create or replace view inner_v as select * from patients;',
        },
        {},
        rule,
      ),
    ).toEqual([`${rule} 1_v.sql:7:1`, `${rule} 2_v.sql:1:1`]);
  });

  it('flags a materialized view over a tenant table', async () => {
    const { diagnostics } = await lint({ '1_v.sql': `${base}create materialized view patient_counts as select clinic_id, count(*) from patients group by 1;` });
    expect(diagnostics.filter((x) => x.ruleId === rule).map((d) => [d.line, d.message.slice(0, 50)])).toEqual([
      [6, 'materialized view public.patient_counts stores row'],
    ]);
  });

  it('ignores views over tables without RLS or tenant column', async () => {
    expect(await findings({ '1_v.sql': 'create table tags (id int);\ncreate view tag_list as select * from tags;' }, {}, rule)).toEqual([]);
  });
});
