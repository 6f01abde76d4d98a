import { describe, expect, it } from 'vitest';
import { CLINICS, findings, lint } from './helpers.js';

const only = { rules: { 'require-rls': 'off', 'rls-without-policy': 'off', 'require-tenant-policy': 'off' } } as const;
const rule = 'require-tenant-column';

describe('require-tenant-column', () => {
  it('flags a table without clinic_id at its CREATE TABLE, but not the tenant table itself', async () => {
    const { diagnostics } = await lint({ '1_init.sql': `${CLINICS}create table public.appointments (\n  id uuid primary key\n);` }, only);
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.column, d.severity, d.object])).toEqual([
      [rule, 4, 1, 'error', 'public.appointments'],
    ]);
    expect(diagnostics[0].message).toContain('has no clinic_id column');
    expect(diagnostics[0].message).toContain('clinic_id uuid not null references public.clinics(id)');
  });

  it('accepts a NOT NULL column referencing the tenant table', async () => {
    const sql = `${CLINICS}create table appointments (id uuid primary key, clinic_id uuid not null references clinics (id) on delete cascade);`;
    expect(await findings({ '1_init.sql': sql }, only)).toEqual([]);
  });

  it('accepts a tenant column added later by ALTER TABLE ADD COLUMN', async () => {
    expect(
      await findings(
        {
          '20240101000000_init.sql': `${CLINICS}create table appointments (id uuid primary key);`,
          '20240201000000_tenant.sql': 'alter table public.appointments add column if not exists clinic_id uuid not null references public.clinics(id);',
        },
        only,
      ),
    ).toEqual([]);
  });

  it('warns separately when the column is nullable and when it does not reference the tenant table', async () => {
    const { diagnostics } = await lint(
      {
        '1_init.sql': `${CLINICS}create table appointments (id uuid primary key);`,
        '2_add.sql': '-- adiciona a clínica\nalter table appointments add column clinic_id uuid;',
      },
      only,
    );
    expect(diagnostics.map((d) => [d.ruleId, d.file.slice(-9), d.line, d.column, d.severity])).toEqual([
      [rule, '2_add.sql', 2, 1, 'warning'],
      [rule, '2_add.sql', 2, 1, 'warning'],
    ]);
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(/is nullable/);
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(/does not reference public.clinics/);
  });

  it('sees SET NOT NULL and a foreign key added by later statements', async () => {
    expect(
      await findings(
        {
          '1_init.sql': `${CLINICS}create table appointments (id uuid primary key, clinic_id uuid);`,
          '2_fix.sql': `alter table appointments alter column clinic_id set not null;
alter table only public.appointments add constraint appointments_clinic_fk foreign key (clinic_id) references public.clinics(id);`,
        },
        only,
      ),
    ).toEqual([]);
  });

  it('follows column renames and drops', async () => {
    const files = {
      '1_init.sql': `${CLINICS}create table appointments (id uuid primary key, clinica_id uuid not null references clinics);`,
      '2_rename.sql': 'alter table appointments rename column clinica_id to clinic_id;',
    };
    expect(await findings(files, only)).toEqual([]);
    expect(await findings({ ...files, '3_drop.sql': 'alter table appointments drop column clinic_id;' }, only)).toEqual([
      `${rule} 1_init.sql:4:1`,
    ]);
  });

  it('uses the configured tenant column and table, and exempt tables', async () => {
    const sql = `create table accounts (id uuid primary key);
create table projects (id uuid primary key, account_id uuid not null references accounts);
create table countries (code text primary key);`;
    const options = { ...only, tenantColumn: 'account_id', tenantTable: 'public.accounts' };
    expect(await findings({ '1_a.sql': sql }, options)).toEqual([`${rule} 1_a.sql:3:1`]);
    expect(await findings({ '1_a.sql': sql }, { ...options, exemptTables: ['public.countries'] })).toEqual([]);
  });

  it('knows the columns of a CTAS and of a partition', async () => {
    const sql = `${CLINICS}create table visits (id uuid, clinic_id uuid not null references clinics, at date) partition by range (at);
create table visits_2024 partition of visits for values from ('2024-01-01') to ('2025-01-01');
create table visit_summary as select clinic_id, count(*) as n from visits group by clinic_id;
create table visit_copy as select id from visits;`;
    expect(await findings({ '1_a.sql': sql }, only)).toEqual([
      `${rule} 1_a.sql:6:1`, // CTAS column is nullable
      `${rule} 1_a.sql:6:1`, // and has no foreign key
      `${rule} 1_a.sql:7:1`,
    ]);
  });

  it('only checks exposed schemas', async () => {
    expect(await findings({ '1_a.sql': 'create schema internal;\ncreate table internal.jobs (id uuid);' }, only)).toEqual([]);
  });
});
