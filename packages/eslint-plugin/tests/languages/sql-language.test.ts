import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { lintMigrations } from '@supagate/sql-lint';
import supagate, { recommendedConfig, rules as tsRules, sqlEslintRules } from '../../src/index.js';
import { clearMigrationCache, replayCount } from '../../src/languages/migration-history.js';

const MIGRATIONS = 'supabase/migrations';
const temps: string[] = [];

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway project with these files (paths relative to its root). */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'supagate-sql-'));
  temps.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function eslintFor(root: string, extra: Linter.Config[] = []): ESLint {
  return new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [...(supagate.configs['recommended-sql'] as unknown as Linter.Config[]), ...extra],
  });
}

/** `<rule> <file>:<line>:<column>` for each message, files relative to the root. */
function summary(root: string, results: ESLint.LintResult[]): string[] {
  return results.flatMap((r) =>
    r.messages.map((m) => `${m.ruleId} ${path.relative(root, r.filePath).split(path.sep).join('/')}:${m.line}:${m.column}`),
  );
}

const CLINICS = `create table public.clinics (id uuid primary key);
alter table public.clinics enable row level security;
create policy clinic_members on public.clinics for select to authenticated
  using (id in (select clinic_id from public.members where user_id = auth.uid()));
create table public.members (user_id uuid, clinic_id uuid not null references public.clinics (id));
alter table public.members enable row level security;
create policy own_membership on public.members for select to authenticated using (user_id = auth.uid());
`;

describe('@supagate/sql language', () => {
  it('reads the whole folder: RLS enabled in a later file does not flag the CREATE in the first', async () => {
    const root = project({
      [`${MIGRATIONS}/20240101000000_init.sql`]: `${CLINICS}create table public.payments (
  id uuid primary key,
  clinic_id uuid not null references public.clinics (id)
);
create table public.audit_log (id uuid primary key, clinic_id uuid not null references public.clinics (id));
`,
      [`${MIGRATIONS}/20240201000000_payments_rls.sql`]: `alter table public.payments enable row level security;
create policy clinic_payments on public.payments for all to authenticated
  using (clinic_id in (select clinic_id from public.members where user_id = auth.uid()))
  with check (clinic_id in (select clinic_id from public.members where user_id = auth.uid()));
`,
    });
    // Only the first file is linted; the second is read from disk for the history.
    const results = await eslintFor(root).lintFiles([`${MIGRATIONS}/20240101000000_init.sql`]);
    expect(summary(root, results)).toEqual([`@supagate/require-rls ${MIGRATIONS}/20240101000000_init.sql:12:1`]);
    expect(results[0].messages[0]).toMatchObject({ severity: 2, endLine: 12 });
    expect(results[0].messages[0].message).toContain('public.audit_log');
  });

  it('reports a syntax error in the middle of a file at its line, and the statements before it still count', async () => {
    const root = project({
      [`${MIGRATIONS}/20240101000000_init.sql`]: `-- Tabela de consultas (versão inicial)
create table public.notes (id uuid primary key);
create table public.broken (
  id uuid primary key,
  index (id)
);
create table public.after_error (id uuid);
`,
    });
    const results = await eslintFor(root).lintFiles([MIGRATIONS]);
    expect(summary(root, results)).toEqual([
      `@supagate/require-rls ${MIGRATIONS}/20240101000000_init.sql:2:1`,
      `@supagate/require-tenant-column ${MIGRATIONS}/20240101000000_init.sql:2:1`,
      `@supagate/syntax-error ${MIGRATIONS}/20240101000000_init.sql:5:9`,
    ]);
    expect(results[0].messages[2]).toMatchObject({ ruleId: '@supagate/syntax-error', endLine: 5, endColumn: 10 });
  });

  it('keeps columns right after non-ASCII comments (accents, emoji) before a statement', async () => {
    const line2 = '/* observação: não expor — 😀 */ create table public.patients (id uuid primary key);';
    const root = project({
      [`${MIGRATIONS}/20240101000000_patients.sql`]: `-- Pacientes: CPF, endereço e histórico clínico ✔\n${line2}\n`,
    });
    const results = await eslintFor(root, [{ rules: { '@supagate/require-tenant-column': 'off' } }]).lintFiles([MIGRATIONS]);
    const column = line2.indexOf('create') + 1;
    expect(summary(root, results)).toEqual([`@supagate/require-rls ${MIGRATIONS}/20240101000000_patients.sql:2:${column}`]);
    // The statement ends before its semicolon.
    expect(results[0].messages[0]).toMatchObject({ endLine: 2, endColumn: line2.lastIndexOf(';') + 1 });
  });

  it('shows exactly the positions and messages sql-lint computes for the folder', async () => {
    const files = {
      [`${MIGRATIONS}/1_init.sql`]: `${CLINICS}-- é ç ã 😀\ncreate table public.invoices (id uuid, clinic_id uuid);\nalter table public.invoices enable row level security;\n`,
      [`${MIGRATIONS}/2_policies.sql`]: `create policy open_invoices on public.invoices for select to authenticated using (true);
create function public.touch() returns void language sql security definer as $$ select 1 $$;
create table  public.leads (id uuid);
`,
    };
    const root = project(files);
    const results = await eslintFor(root).lintFiles([MIGRATIONS]);
    const fromEslint = results.flatMap((r) =>
      r.messages.map((m) => ({
        ruleId: m.ruleId,
        file: path.relative(root, r.filePath).split(path.sep).join('/'),
        line: m.line,
        column: m.column,
        endLine: m.endLine,
        endColumn: m.endColumn,
        message: m.message,
      })),
    );
    const { diagnostics } = await lintMigrations(
      Object.entries(files).map(([p, text]) => ({ path: p, text })),
      { exposedSchemas: ['public', 'graphql_public'] },
    );
    const fromSqlLint = diagnostics
      .filter((d) => d.severity !== 'info')
      .map((d) => ({
        ruleId: `@supagate/${d.ruleId}`,
        file: d.file,
        line: d.line,
        column: d.column,
        endLine: d.endLine,
        endColumn: d.endColumn,
        message: d.message,
      }));
    expect(fromSqlLint.length).toBeGreaterThanOrEqual(4);
    expect(fromEslint).toEqual(fromSqlLint);
  });

  it('honours a supagate-ignore comment and reports one that suppresses nothing', async () => {
    const root = project({
      [`${MIGRATIONS}/20240101000000_lookup.sql`]: `-- supagate-ignore require-rls, require-tenant-column -- reference data, read through the API by everyone
create table public.specialties (id int primary key, name text);

-- supagate-ignore require-rls -- nothing to suppress here
select 1;
`,
    });
    const results = await eslintFor(root).lintFiles([MIGRATIONS]);
    expect(summary(root, results)).toEqual([`@supagate/unused-suppression ${MIGRATIONS}/20240101000000_lookup.sql:4:1`]);
    expect(results[0].messages[0].severity).toBe(1);
  });

  it('lints the editor buffer, not the file on disk, for the file being linted', async () => {
    const root = project({
      [`${MIGRATIONS}/20240101000000_init.sql`]: CLINICS,
      [`${MIGRATIONS}/20240102000000_later.sql`]: 'alter table public.visits enable row level security;\n',
    });
    const eslint = eslintFor(root);
    const file = path.join(root, MIGRATIONS, '20240101000000_init.sql');
    expect(summary(root, await eslint.lintFiles([file]))).toEqual([]);
    // Unsaved edit: a table without tenant column; its RLS comes from the later file on disk.
    const buffer = `${CLINICS}\ncreate table public.visits (id uuid primary key);\n`;
    const [result] = await eslint.lintText(buffer, { filePath: file });
    expect(result.messages.map((m) => `${m.ruleId} ${m.line}:${m.column}`)).toEqual(['@supagate/require-tenant-column 9:1']);
  });

  it('replays the history once per folder state, not once per file', async () => {
    const files: Record<string, string> = { [`${MIGRATIONS}/0000_clinics.sql`]: CLINICS };
    for (let i = 1; i <= 30; i++) {
      files[`${MIGRATIONS}/${String(i).padStart(4, '0')}_t${i}.sql`] =
        `create table public.t${i} (id uuid primary key, clinic_id uuid not null references public.clinics (id));\nalter table public.t${i} enable row level security;\n`;
    }
    const root = project(files);
    clearMigrationCache();
    const eslint = eslintFor(root);
    const before = replayCount();
    const results = await eslint.lintFiles([MIGRATIONS]);
    expect(results).toHaveLength(31);
    expect(replayCount() - before).toBe(1);

    await eslint.lintFiles([MIGRATIONS]);
    expect(replayCount() - before).toBe(1);

    // A file changed on disk is a new state of the folder.
    const changed = path.join(root, MIGRATIONS, '0007_t7.sql');
    writeFileSync(changed, 'create table public.t7 (id uuid primary key);\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(changed, later, later);
    const again = await eslint.lintFiles([MIGRATIONS]);
    expect(replayCount() - before).toBe(2);
    expect(summary(root, again)).toEqual([
      `@supagate/require-rls ${MIGRATIONS}/0007_t7.sql:1:1`,
      `@supagate/require-tenant-column ${MIGRATIONS}/0007_t7.sql:1:1`,
    ]);
  });

  it('reads exposed schemas from supabase/config.toml and the tenant column from settings', async () => {
    const root = project({
      'supabase/config.toml': '[api]\nschemas = ["public", "api"]\n',
      [`${MIGRATIONS}/1_init.sql`]: `create table public.tenants (id uuid primary key);
alter table public.tenants enable row level security;
create schema api;
create table api.orders (id uuid primary key, tenant_id uuid not null references public.tenants (id));
alter table api.orders enable row level security;
create table private.secrets (id uuid primary key);
`,
    });
    const results = await eslintFor(root, [{ settings: { supagate: { tenantColumn: 'tenant_id', tenantTable: 'public.tenants' } } }]).lintFiles([
      MIGRATIONS,
    ]);
    // api is exposed (RLS on, tenant column present: fine); private is not exposed.
    expect(summary(root, results)).toEqual([]);
    const withoutSettings = await eslintFor(root).lintFiles([MIGRATIONS]);
    expect(summary(root, withoutSettings)).toEqual([
      `@supagate/require-tenant-column ${MIGRATIONS}/1_init.sql:1:1`,
      `@supagate/require-tenant-column ${MIGRATIONS}/1_init.sql:4:1`,
    ]);
  });
});

describe('plugin wiring', () => {
  it('adds one ESLint rule per sql-lint rule, with ids distinct from the TypeScript rules', () => {
    const sqlIds = Object.keys(sqlEslintRules);
    expect(sqlIds).toEqual(expect.arrayContaining(['require-rls', 'require-tenant-column', 'require-tenant-policy', 'syntax-error']));
    expect(sqlIds.filter((id) => id in tsRules)).toEqual([]);
    for (const id of [...sqlIds, ...Object.keys(tsRules)]) expect(supagate.rules).toHaveProperty([id]);
    expect(supagate).toHaveProperty(['languages', 'sql']);
  });

  it('configs.recommended lints both the edge functions and the migrations', async () => {
    const root = project({
      'supabase/functions/notify-patient/index.ts': `import { createClient } from 'npm:@supabase/supabase-js@2';\nexport async function notificar() {}\n`,
      [`${MIGRATIONS}/20240101000000_payments.sql`]: '\n\ncreate table public.payments (id uuid primary key);\n',
    });
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: supagate.configs.recommended as unknown as Linter.Config[],
    });
    const found = summary(root, await eslint.lintFiles(['.']));
    expect(found).toEqual(
      expect.arrayContaining([
        '@supagate/require-handler supabase/functions/notify-patient/index.ts:1:1',
        `@supagate/require-rls ${MIGRATIONS}/20240101000000_payments.sql:3:1`,
      ]),
    );
  });

  it('recommendedConfig takes the migrations folder, or leaves SQL out for callers that run sql-lint themselves', () => {
    const sqlConfigs = (options: Parameters<typeof recommendedConfig>[0]) =>
      recommendedConfig(options).filter((c) => (c as { language?: string }).language === '@supagate/sql');
    expect(sqlConfigs({})).toMatchObject([{ files: ['**/supabase/migrations/*.sql'] }]);
    expect(sqlConfigs({ migrationsDir: './db/migrations/' })).toMatchObject([{ files: ['**/db/migrations/*.sql'] }]);
    expect(sqlConfigs({ migrationsDir: false })).toEqual([]);
    const rules = sqlConfigs({})[0].rules ?? {};
    expect(rules).toMatchObject({ '@supagate/require-rls': 'error', '@supagate/unused-suppression': 'warn' });
    expect(rules).not.toHaveProperty(['@supagate/rls-without-policy']);
  });
});
