import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers.js';

const init = `create table public.clinics (id uuid primary key);
alter table public.clinics enable row level security;
create table public.lembretes (id uuid primary key, clinic_id uuid not null references public.clinics(id));
`;

describe('--baseline', () => {
  it('accepts existing findings, survives unrelated edits, and still fails on new ones', async () => {
    const root = tempProject({ 'supabase/migrations/20240101000000_init.sql': init });
    const baseline = path.join(root, 'supagate-baseline.json');

    const before = await runCli(['gate', root, '--format', 'json']);
    expect(before.code).toBe(1);
    const update = await runCli(['gate', root, '--baseline', baseline, '--update-baseline']);
    expect(update.code).toBe(0);
    expect(update.stderr).toMatch(/wrote \d+ finding\(s\) to /);
    const written = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(written.findings.length).toBe(JSON.parse(before.stdout).findings.length);
    expect(written.findings[0].fingerprint).toMatch(/^[0-9a-f]{16,}$/);

    const accepted = await runCli(['gate', root, '--baseline', baseline, '--format', 'json']);
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout).findings).toEqual([]);
    expect(JSON.parse(accepted.stdout).summary.baselined).toBe(written.findings.length);

    // Lines move: comments are added above. The accepted findings stay accepted.
    const file = path.join(root, 'supabase/migrations/20240101000000_init.sql');
    writeFileSync(file, `-- Modelo de clínicas (revisado)\n-- ver ADR 12\n\n${init}`);
    expect((await runCli(['gate', root, '--baseline', baseline])).code).toBe(0);

    // A new mistake is not in the baseline.
    writeFileSync(
      path.join(root, 'supabase/migrations/20240102000000_notas.sql'),
      'create table public.notas (id uuid primary key, clinic_id uuid not null references public.clinics(id));\n',
    );
    const after = await runCli(['gate', root, '--baseline', baseline, '--format', 'json']);
    expect(after.code).toBe(1);
    expect(JSON.parse(after.stdout).findings.map((f: { file: string; ruleId: string }) => `${f.file} ${f.ruleId}`)).toEqual([
      'supabase/migrations/20240102000000_notas.sql @supagate/require-rls',
    ]);
  });

  it('is a usage error to update without a file, or to read a file that is not a baseline', async () => {
    const root = tempProject({ 'supabase/migrations/20240101000000_init.sql': init, 'other.json': '{"a": 1}' });
    expect((await runCli(['gate', root, '--update-baseline'])).stderr).toMatch(/--update-baseline needs --baseline FILE/);
    const wrong = await runCli(['gate', root, '--baseline', path.join(root, 'other.json')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/is not a supagate baseline/);
    expect((await runCli(['gate', root, '--baseline', path.join(root, 'missing.json')])).stderr).toMatch(/baseline not found: .*create it with --update-baseline/);
  });
});
