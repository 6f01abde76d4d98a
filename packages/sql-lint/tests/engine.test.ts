import { afterEach, describe, expect, it, vi } from 'vitest';
import { lintMigrations, lintMigrationsSync, loadSqlParser, sqlRules, tenantTables } from '../src/index.js';
import { modelRules } from '../src/rules/index.js';
import { CLINICS, findings, lint, M } from './helpers.js';

const noTenant = { rules: { 'require-tenant-column': 'off' } } as const;

describe('suppressions', () => {
  it('a supagate-ignore before a statement suppresses the named rules on it, and is then used', async () => {
    const sql = `-- supagate-ignore require-rls, require-tenant-column -- public lookup table, read-only via grants
create table countries (
  code text primary key
);
create table other (id int);`;
    expect(await findings({ '1_a.sql': sql })).toEqual(['require-rls 1_a.sql:5:1', 'require-tenant-column 1_a.sql:5:1']);
  });

  it('reports an unused suppression at the comment', async () => {
    const sql = `create table a (id int);
alter table a enable row level security;
create policy p on a using (true);
  -- supagate-ignore require-rls -- not needed any more
create table b (id int);
alter table b enable row level security;
create policy p on b using (true);`;
    const { diagnostics } = await lint({ '1_a.sql': sql }, noTenant);
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.column, d.severity])).toEqual([['unused-suppression', 4, 3, 'warning']]);
    expect(diagnostics[0].message).toBe(
      'supagate-ignore require-rls suppresses nothing on the next statement — remove it, so a future problem there is not hidden.',
    );
  });

  it('supagate-ignore-file applies to the whole file, anywhere in it', async () => {
    const sql = `create table a (id int);
create table b (id int);
/* supagate-ignore-file require-rls -- staging tables, dropped by the next release */`;
    expect(await findings({ '1_a.sql': sql, '2_b.sql': 'create table c (id int);' }, noTenant)).toEqual(['require-rls 2_b.sql:1:1']);
  });

  it('reports unknown rule names and accepts the @supagate/ prefix', async () => {
    const sql = `-- supagate-ignore @supagate/require-rls, require-rsl -- typo
create table a (id int);`;
    const { diagnostics } = await lint({ '1_a.sql': sql }, noTenant);
    expect(diagnostics.map((d) => [d.ruleId, d.line])).toEqual([['unused-suppression', 1]]);
    expect(diagnostics[0].message).toContain('unknown rule "require-rsl"');
  });

  it('covers findings inside a DO block that follows it, and a syntax error', async () => {
    const sql = `create table a (id int);
-- supagate-ignore opaque-statement -- generated partitions
do $$ begin execute 'select 1'; end $$;
alter table a enable row level security;
create policy p on a using (true);
-- supagate-ignore syntax-error -- kept for history
select from where;`;
    expect(await findings({ '1_a.sql': sql }, noTenant)).toEqual([]);
  });

  it('is not fooled by the directive inside a string', async () => {
    const sql = `create table a (id int);
select '-- supagate-ignore require-rls';
create table b (id int);`;
    expect(await findings({ '1_a.sql': sql }, noTenant)).toEqual(['require-rls 1_a.sql:1:1', 'require-rls 1_a.sql:3:1']);
  });
});

describe('file by file', () => {
  it('keeps each file\'s DO-block syntax error and suppressions to that file, and the AST of opaque statements', async () => {
    const files = {
      '1_a.sql': `create table a (id int);
-- supagate-ignore syntax-error -- kept for history
do $$ begin perform 1 end $$;
create table never_replayed (id int);`,
      '2_b.sql': `create table b (id int);
-- supagate-ignore require-rls -- lookup table
create table c (id int);
do $$ begin execute 'select 1'; end $$;`,
    };
    const { diagnostics, model } = await lint(files, noTenant);
    expect(diagnostics.map((d) => `${d.ruleId} ${d.file.slice(-7)}:${d.line}`)).toEqual([
      'require-rls 1_a.sql:1',
      'require-rls 2_b.sql:1',
      'opaque-statement 2_b.sql:4',
    ]);
    expect([...model.tables.keys()]).toEqual(['public.a', 'public.b', 'public.c']);
    // Opaque statements are handed out whole (their AST is kept).
    expect(model.opaque.map((s) => [s.kind, Object.keys(s.node)])).toEqual([['DoStmt', ['args']]]);
    expect(model.tables.get('public.c')?.createdAt).toMatchObject({ line: 3, column: 1, text: 'create table c (id int)' });
  });
});

describe('opaque-statement', () => {
  it('says once per file that dynamic SQL cannot be seen into', async () => {
    const sql = `do $$
declare t text;
begin
  for t in select tablename from pg_tables where schemaname = 'public' loop
    execute format('alter table %I enable row level security', t);
  end loop;
end $$;
do $$ begin execute 'select 1'; end $$;`;
    const { diagnostics } = await lint({ '1_a.sql': sql, '2_b.sql': "\n  do language plpythonu $$ print('x') $$;" });
    expect(diagnostics.map((d) => [d.ruleId, d.file.slice(-7), d.line, d.column, d.severity])).toEqual([
      ['opaque-statement', '1_a.sql', 1, 1, 'info'],
      ['opaque-statement', '2_b.sql', 2, 3, 'info'],
    ]);
    expect(diagnostics[0].message).toContain('cannot see into');
  });
});

describe('internal-error', () => {
  afterEach(() => vi.restoreAllMocks());

  it('turns a rule that throws into a finding for the file it was checking; the run goes on', async () => {
    const rule = modelRules.find((r) => r.meta.id === 'require-rls')!;
    vi.spyOn(rule, 'check').mockImplementation((context) => {
      const table = context.model.tables.get('public.b')!;
      context.visiting(table.createdAt);
      throw new Error('boom');
    });
    const { diagnostics } = await lint(
      { '1_a.sql': 'create table a (id int);', '2_b.sql': '\ncreate table b (id int);\ncreate view v as select 1;' },
      { rules: { 'require-tenant-column': 'off' } },
    );
    expect(diagnostics.map((d) => [d.ruleId, d.file.slice(-7), d.line])).toEqual([['internal-error', '2_b.sql', 2]]);
    expect(diagnostics[0].message).toContain('boom');
  });
});

describe('API', () => {
  it('lists every rule with description, default severity and docs path', () => {
    expect(Object.keys(sqlRules).sort()).toEqual(
      [
        'internal-error',
        'no-user-metadata-in-policy',
        'opaque-statement',
        'policy-without-rls',
        'require-rls',
        'require-tenant-column',
        'require-tenant-policy',
        'rls-without-policy',
        'security-definer-search-path',
        'syntax-error',
        'unused-suppression',
        'view-bypasses-rls',
      ].sort(),
    );
    expect(sqlRules['rls-without-policy']).toMatchObject({ defaultSeverity: 'info', docsPath: 'docs/rules/rls-without-policy.md', gate: 'migration' });
    expect(sqlRules['require-tenant-policy'].gate).toBe('tenant-isolation');
    expect(sqlRules['unused-suppression'].defaultSeverity).toBe('warning');
  });

  it('lintMigrationsSync gives the same result after loadSqlParser', async () => {
    await loadSqlParser();
    const files = [{ path: `${M}/1_a.sql`, text: `${CLINICS}create table x (id int);` }];
    expect(lintMigrationsSync(files).diagnostics).toEqual((await lintMigrations(files)).diagnostics);
  });

  it('sorts diagnostics by file, line, column, rule and limits them to reportOnly', async () => {
    const files = {
      '2_b.sql': 'create table b (id int);',
      '1_a.sql': 'create table z (id int);\ncreate table a (id int);',
    };
    const { diagnostics } = await lint(files);
    expect(diagnostics.map((d) => `${d.file.slice(-7)}:${d.line}:${d.ruleId}`)).toEqual([
      '1_a.sql:1:require-rls',
      '1_a.sql:1:require-tenant-column',
      '1_a.sql:2:require-rls',
      '1_a.sql:2:require-tenant-column',
      '2_b.sql:1:require-rls',
      '2_b.sql:1:require-tenant-column',
    ]);
    const only = await lint(files, { reportOnly: [`${M}/2_b.sql`] });
    expect(only.diagnostics.map((d) => d.file)).toEqual([`${M}/2_b.sql`, `${M}/2_b.sql`]);
  });

  it('applies severity overrides and off', async () => {
    const { diagnostics } = await lint({ '1_a.sql': 'create table a (id int);' }, { rules: { 'require-rls': 'warn', 'require-tenant-column': 'off' } });
    expect(diagnostics.map((d) => [d.ruleId, d.severity])).toEqual([['require-rls', 'warning']]);
  });

  it('returns the schema model: tenant tables, RLS state and policies with their statements', async () => {
    const { model } = await lint({
      '1_a.sql': `${CLINICS}create table appointments (id uuid, clinic_id uuid not null references clinics);
alter table appointments enable row level security;
create policy "by clinic" on appointments for select to authenticated using (is_clinic_member(clinic_id));`,
    });
    expect(tenantTables(model)).toEqual(['public.appointments']);
    const t = model.tables.get('public.appointments')!;
    expect(t.rls).toBe(true);
    expect(t.rlsChangedAt?.line).toBe(5);
    const p = t.policies.get('by clinic')!;
    expect([p.command, p.roles, p.permissive, p.createdAt.line, p.usingText]).toEqual([
      'select',
      ['authenticated'],
      true,
      6,
      '(is_clinic_member(clinic_id))',
    ]);
  });

  it('gives byte-identical output for the same input', async () => {
    const files = { '1_a.sql': `${CLINICS}create table a (id int);\ncreate view v as select * from clinics;` };
    expect(JSON.stringify((await lint(files)).diagnostics)).toBe(JSON.stringify((await lint(files)).diagnostics));
  });
});
