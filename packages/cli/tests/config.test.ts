import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers.js';

const tenantTable = `create table public.clinics (id uuid primary key, nome text not null);
alter table public.clinics enable row level security;
create policy "membros" on public.clinics for select to authenticated using (id in (select clinic_id from public.members where user_id = auth.uid()));
`;
const openTable = `create table public.lembretes (
  id uuid primary key,
  clinic_id uuid not null references public.clinics(id),
  texto text
);
`;

describe('configuration', () => {
  it('lists every problem of an invalid supagate.config.json with its path, and exits 2', async () => {
    const root = tempProject({
      'supagate.config.json': JSON.stringify({ tenantColumn: 42, rules: { 'require-rls': 'warning' }, exemptTables: ['lookup'], frontnd: [] }),
      'supabase/migrations/20240101000000_init.sql': tenantTable,
    });
    const run = await runCli(['gate', root]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('invalid configuration in supagate.config.json:');
    expect(run.stderr).toContain('  tenantColumn: expected string');
    expect(run.stderr).toContain('  rules.require-rls: expected one of "off", "warn", "error"');
    expect(run.stderr).toContain('  exemptTables.0: expected a schema-qualified table name like public.clinics');
    expect(run.stderr).toContain('  frontnd: unknown option');
  });

  it('says which file is not JSON', async () => {
    const root = tempProject({ 'supagate.config.json': '{ "tenantColumn": "clinic_id", }' });
    const run = await runCli(['gate', root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^supagate: supagate\.config\.json is not valid JSON: /);
  });

  it('reads the "supagate" key of package.json and applies rule severities to every engine', async () => {
    const files = {
      'supabase/migrations/20240101000000_init.sql': tenantTable,
      'supabase/migrations/20240102000000_lembretes.sql': openTable,
    };
    const strict = await runCli(['gate', tempProject(files), '--format', 'json']);
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toContain('@supagate/require-rls');

    const relaxed = tempProject({ ...files, 'package.json': JSON.stringify({ name: 'clinica', supagate: { rules: { '@supagate/require-rls': 'warn' } } }) });
    const run = await runCli(['gate', relaxed, '--format', 'json']);
    const report = JSON.parse(run.stdout);
    const rls = report.findings.filter((f: { ruleId: string }) => f.ruleId === '@supagate/require-rls');
    expect(rls.map((f: { severity: string; line: number }) => [f.severity, f.line])).toEqual([['warning', 1]]);
    expect(run.code).toBe(0);

    writeFileSync(path.join(relaxed, 'supagate.config.json'), JSON.stringify({ rules: { 'require-rls': 'off' } }));
    const off = JSON.parse((await runCli(['gate', relaxed, '--format', 'json'])).stdout);
    expect(off.findings.some((f: { ruleId: string }) => f.ruleId === '@supagate/require-rls')).toBe(false);
  });

  it('uses the configured tenant column', async () => {
    const root = tempProject({
      'supagate.config.json': JSON.stringify({ tenantColumn: 'tenant_id', tenantTable: 'public.tenants' }),
      'supabase/migrations/20240101000000_init.sql':
        'create table public.tenants (id uuid primary key);\nalter table public.tenants enable row level security;\n' +
        'create table public.notes (id uuid primary key, clinic_id uuid);\nalter table public.notes enable row level security;\n',
    });
    const report = JSON.parse((await runCli(['gate', root, '--format', 'json'])).stdout);
    const missing = report.findings.filter((f: { ruleId: string }) => f.ruleId === '@supagate/require-tenant-column');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ file: 'supabase/migrations/20240101000000_init.sql', line: 3, object: 'public.notes' });
    expect(missing[0].message).toContain('tenant_id');
  });
});

describe('--staged and --changed-since', () => {
  function git(root: string, ...args: string[]) {
    execFileSync('git', args, { cwd: root, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  }

  it('reports only on staged files while replaying the whole migration history', async () => {
    const root = tempProject({
      'supabase/migrations/20240101000000_init.sql': tenantTable,
      // Committed long ago, wrong, not staged now: not reported in pre-commit.
      'supabase/migrations/20240102000000_lembretes.sql': openTable,
    });
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'history');
    // The staged migration relies on the table created earlier: only a full replay knows it exists.
    writeFileSync(
      path.join(root, 'supabase/migrations/20240103000000_fix.sql'),
      'alter table public.lembretes enable row level security;\ncreate policy "todos" on public.lembretes for select to authenticated using (true);\n',
    );
    git(root, 'add', 'supabase/migrations/20240103000000_fix.sql');
    const run = await runCli(['gate', root, '--staged', '--format', 'json']);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: { file: string; line: number; ruleId: string }) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([
      'supabase/migrations/20240103000000_fix.sql:2 @supagate/require-tenant-policy',
    ]);
    expect(run.code).toBe(1);

    const since = JSON.parse((await runCli(['gate', root, '--changed-since', 'HEAD', '--format', 'json'])).stdout);
    expect(since.findings.map((f: { file: string }) => f.file)).toEqual(['supabase/migrations/20240103000000_fix.sql']);
  });

  it('is a usage error outside a git repository or with both flags', async () => {
    const root = tempProject({ 'supabase/migrations/20240101000000_init.sql': tenantTable });
    const run = await runCli(['gate', root, '--staged']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^supagate: git rev-parse failed in .*: fatal: not a git repository/);
    expect((await runCli(['gate', root, '--staged', '--changed-since', 'main'])).code).toBe(2);
  });
});
