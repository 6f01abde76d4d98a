// The benchmark generator: deterministic, valid SQL, and the planted mistakes are found.
// No timings here: those live in `npm run bench`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as pg from 'libpg-query';
import { lintMigrations } from '@supagate/sql-lint';
import { runGate } from '@supagate/cli';
// @ts-expect-error plain ESM JavaScript without type declarations
import { generateProject, generateProjectFiles } from '../generate.js';

type Files = Map<string, string>;
type Planted = Record<string, number>;
interface Manifest {
  counts: { migrations: number; functions: number; functionFiles: number };
  planted: { sql: Planted; functions: Planted };
}
const gen = generateProjectFiles as (o: { functions: number; migrations: number; seed: number | string }) => { files: Files; manifest: Manifest };
const write = generateProject as (out: string, o: { functions: number; migrations: number; seed: number | string }) => Manifest;

const temp: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'supagate-bench-'));
  temp.push(dir);
  return path.join(dir, 'project');
};
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

function readTree(root: string, rel = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of readTree(root, child)) out.set(k, v);
    else out.set(child, readFileSync(path.join(root, child)));
  }
  return out;
}

/** Actual counts may drift a little as rules evolve; planted mistakes must all be found and nothing else reported in bulk. */
function expectRoughly(actual: Record<string, number>, planted: Planted) {
  for (const [rule, n] of Object.entries(planted)) {
    expect(actual[rule] ?? 0, rule).toBeGreaterThanOrEqual(n);
    expect(actual[rule] ?? 0, rule).toBeLessThanOrEqual(Math.ceil(n * 1.2) + 1);
  }
  for (const [rule, n] of Object.entries(actual)) {
    if (!(rule in planted)) expect(n, `unplanted ${rule}`).toBeLessThanOrEqual(1);
  }
}

describe('bench/generate.js', () => {
  it('is deterministic: the same seed writes byte-identical files, another seed does not', () => {
    const options = { functions: 40, migrations: 120, seed: 7 };
    const a = tempDir();
    const b = tempDir();
    write(a, options);
    write(b, options);
    const ta = readTree(a);
    const tb = readTree(b);
    expect([...ta.keys()]).toEqual([...tb.keys()]);
    for (const [file, bytes] of ta) expect(bytes.equals(tb.get(file)!), file).toBe(true);

    const other = gen({ ...options, seed: 8 }).files;
    const same = gen(options).files;
    expect([...same.entries()]).not.toEqual([...other.entries()]);
    expect(ta.size).toBe(same.size + 1); // + the .supagate-bench marker
  });

  it('writes the sizes asked for, with the Supabase layout', () => {
    const { files, manifest } = gen({ functions: 50, migrations: 200, seed: 1 });
    const migrations = [...files.keys()].filter((f) => /^supabase\/migrations\/\d{14}_[a-z0-9_]+\.sql$/.test(f));
    expect(migrations).toHaveLength(200);
    expect([...files.keys()].filter((f) => /^supabase\/functions\/[^_][^/]*\/index\.ts$/.test(f))).toHaveLength(50);
    expect(new Set(migrations.map((m) => m.slice(20, 34))).size).toBe(200); // distinct versions
    expect(files.has('supabase/config.toml')).toBe(true);
    expect(files.has('supabase/functions/.env.example')).toBe(true);
    expect(manifest.counts.functionFiles).toBeGreaterThan(50);
  });

  it('generates migrations that Postgres parses, and sql-lint finds the planted mistakes', async () => {
    const { files, manifest } = gen({ functions: 5, migrations: 600, seed: 11 });
    await pg.loadModule();
    const migrations = [...files].filter(([f]) => f.startsWith('supabase/migrations/'));
    for (const [file, text] of migrations) {
      expect(() => pg.parseSync(text), file).not.toThrow();
    }
    const { diagnostics } = await lintMigrations(
      migrations.map(([p, text]) => ({ path: p, text })),
      { tenantColumn: 'clinic_id', tenantTable: 'public.clinics', exposedSchemas: ['public', 'graphql_public'] },
    );
    const counts: Record<string, number> = {};
    for (const d of diagnostics) counts[d.ruleId] = (counts[d.ruleId] ?? 0) + 1;
    expect(Object.keys(manifest.planted.sql).length).toBeGreaterThanOrEqual(6);
    expectRoughly(counts, manifest.planted.sql);
  });

  it('plants edge-function mistakes the gate finds', async () => {
    const root = tempDir();
    const manifest = write(root, { functions: 30, migrations: 12, seed: 3 });
    const report = await runGate(root);
    const counts: Record<string, number> = {};
    for (const f of report.findings) {
      if (!f.file.startsWith('supabase/functions/')) continue;
      const rule = f.ruleId.replace('@supagate/', '');
      counts[rule] = (counts[rule] ?? 0) + 1;
    }
    expect(Object.values(manifest.planted.functions).reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
    expectRoughly(counts, manifest.planted.functions);
  }, 180_000);
});
