import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './helpers.js';

async function findings(root: string, ...flags: string[]): Promise<unknown[]> {
  const run = await runCli(['gate', root, '--format', 'json', ...flags]);
  return (JSON.parse(run.stdout) as { findings: unknown[] }).findings;
}

describe('incremental migration lint (sql-snapshot cache entry)', () => {
  it('answers a changed newest migration from the snapshot exactly as a run without cache', async () => {
    const root = path.join(mkdtempSync(path.join(tmpdir(), 'supagate-inc-')), 'project');
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'bench/generate.js'), '--functions', '2', '--migrations', '60', '--seed', '7', '--out', root]);
    const dir = path.join(root, 'supabase/migrations');
    const migrations = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
    const snapshotFile = path.join(root, 'node_modules/.cache/supagate/sql-snapshot.json');

    await findings(root);
    expect(existsSync(snapshotFile)).toBe(true);
    const written = statSync(snapshotFile).mtimeMs;

    // The usual commit: the newest migration changes.
    const newest = migrations[migrations.length - 1];
    appendFileSync(path.join(dir, newest), '\ncreate table public.late_notes (id uuid primary key, clinic_id uuid);\n');
    const resumed = await findings(root);
    expect(resumed).toEqual(await findings(root, '--no-cache'));
    expect(JSON.stringify(resumed)).toContain('late_notes');
    // Resumed from the snapshot, which is still the right one: not written again.
    expect(statSync(snapshotFile).mtimeMs).toBe(written);

    // An old migration changes: everything is linted again, and a new snapshot is kept.
    const before = readFileSync(snapshotFile, 'utf8');
    appendFileSync(path.join(dir, migrations[3]), '\ncreate table public.early_notes (id uuid primary key);\n');
    const full = await findings(root);
    expect(full).toEqual(await findings(root, '--no-cache'));
    expect(JSON.stringify(full)).toContain('early_notes');
    expect(readFileSync(snapshotFile, 'utf8')).not.toBe(before);
  });
});
