import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache } from '../src/cache.js';
import { runCli, tempProject } from './helpers.js';

const clinics = 'create table public.clinics (id uuid primary key);\nalter table public.clinics enable row level security;\n';
const fn = (secret: string) =>
  `Deno.serve(async (req) => {\n  try {\n    const key = Deno.env.get('${secret}');\n    return new Response(key ? 'ok' : 'no', { status: key ? 200 : 500 });\n  } catch (error) {\n    console.error(error);\n    return new Response('erro', { status: 500 });\n  }\n});\n`;

async function gate(root: string, ...flags: string[]) {
  const run = await runCli(['gate', root, '--format', 'json', ...flags]);
  const report = JSON.parse(run.stdout);
  return report.findings.map((f: { file: string; line: number; ruleId: string }) => `${f.file}:${f.line} ${f.ruleId}`) as string[];
}

describe('content-hash cache', () => {
  it('gives the same report from the cache and stores it under node_modules/.cache/supagate', async () => {
    const root = tempProject({
      'supabase/migrations/20240101000000_init.sql': clinics + 'create table public.notas (id uuid primary key);\n',
      'supabase/functions/lembrete/index.ts': fn('LEMBRETE_TOKEN'),
    });
    const cold = await gate(root);
    const dir = path.join(root, 'node_modules/.cache/supagate');
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['inventory.json', 'sql-history.json']));
    expect(readdirSync(dir).some((f) => /^eslint-[0-9a-f]{16}\.json$/.test(f))).toBe(true);
    expect(await gate(root)).toEqual(cold);
    expect(cold).toContain('supabase/migrations/20240101000000_init.sql:3 @supagate/require-rls');
    expect(cold).toContain('supabase/functions/lembrete/index.ts:3 @supagate/undeclared-secret');
  });

  it('is invalidated by a changed migration, a changed configuration and a changed side input', async () => {
    const root = tempProject({
      'supabase/migrations/20240101000000_init.sql': clinics,
      'supabase/functions/lembrete/index.ts': fn('LEMBRETE_TOKEN'),
    });
    expect(await gate(root)).toContain('supabase/functions/lembrete/index.ts:3 @supagate/undeclared-secret');

    // A file: a new table without RLS appears at once.
    writeFileSync(path.join(root, 'supabase/migrations/20240101000000_init.sql'), clinics + 'create table public.notas (id uuid primary key, clinic_id uuid);\n');
    expect(await gate(root)).toContain('supabase/migrations/20240101000000_init.sql:3 @supagate/require-rls');

    // The configuration: another tenant column changes what the history means.
    writeFileSync(path.join(root, 'supagate.config.json'), JSON.stringify({ tenantColumn: 'tenant_id' }));
    const withTenantId = await gate(root);
    expect(withTenantId.filter((f) => f.endsWith('@supagate/require-tenant-column'))).toEqual([
      'supabase/migrations/20240101000000_init.sql:3 @supagate/require-tenant-column',
    ]);

    // A file the rule reads besides the linted one: declaring the secret clears the finding.
    writeFileSync(path.join(root, 'supabase/functions/.env.example'), 'LEMBRETE_TOKEN=\n');
    expect(await gate(root)).not.toContain('supabase/functions/lembrete/index.ts:3 @supagate/undeclared-secret');
  });

  it('never serves an entry written by another engine build or version', () => {
    const root = tempProject({});
    const cache = new Cache(root);
    const key = cache.key('sql-history', { tenantColumn: 'clinic_id' });
    cache.write('sql-history', key, { diagnostics: ['x'] });
    expect(cache.read('sql-history', key)).toEqual({ diagnostics: ['x'] });
    const other = Object.assign(Object.create(Cache.prototype) as Cache, { dir: cache.dir, engine: 'another-build' });
    expect(other.key('sql-history', { tenantColumn: 'clinic_id' })).not.toBe(key);
    expect(other.read('sql-history', other.key('sql-history', { tenantColumn: 'clinic_id' }))).toBeUndefined();
  });

  it('--no-cache writes nothing', async () => {
    const root = tempProject({ 'supabase/migrations/20240101000000_init.sql': clinics });
    await gate(root, '--no-cache');
    expect(existsSync(path.join(root, 'node_modules'))).toBe(false);
  });

  it('answers a pre-commit from the per-file cache exactly as a fresh run would, and sees a re-staged edit', async () => {
    const root = tempProject({
      'supabase/migrations/20240101000000_init.sql': clinics,
      'supabase/functions/lembrete/index.ts': fn('LEMBRETE_TOKEN'),
      'supabase/functions/.env.example': 'LEMBRETE_TOKEN=\n',
    });
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: root, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(path.join(root, 'supabase/functions/lembrete/index.ts'), fn('LEMBRETE_SEGREDO'));
    git('add', 'supabase/functions/lembrete/index.ts');

    const fresh = await gate(root, '--staged', '--no-cache');
    expect(fresh).toEqual(['supabase/functions/lembrete/index.ts:3 @supagate/undeclared-secret']);
    expect(await gate(root)).toContain(fresh[0]); // a full run fills the per-file cache
    expect(await gate(root, '--staged')).toEqual(fresh); // answered from it
    expect(await gate(root, '--staged')).toEqual(fresh);

    writeFileSync(path.join(root, 'supabase/functions/lembrete/index.ts'), fn('LEMBRETE_TOKEN'));
    git('add', 'supabase/functions/lembrete/index.ts');
    expect(await gate(root, '--staged')).toEqual([]);
  });
});
