import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintMigrations, tenantTables, type LintSnapshot, type MigrationFile, type SqlLintOptions } from '../src/index.js';
import { decodeGraph, encodeGraph } from '../src/snapshot.js';
import { CLINICS, M } from './helpers.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A snapshot as it comes back from a cache: through JSON text. */
const stored = (snapshot: LintSnapshot | undefined): LintSnapshot => {
  expect(snapshot).toBeDefined();
  return JSON.parse(JSON.stringify(snapshot)) as LintSnapshot;
};

/** Resumes from `snapshot` and checks the result is exactly a full lint's (diagnostics, model, tenant tables). */
async function expectSameAsFull(files: MigrationFile[], snapshot: LintSnapshot, options: SqlLintOptions = {}) {
  const full = await lintMigrations(files, options);
  const resumed = await lintMigrations(files, options, { resumeFrom: snapshot });
  expect(JSON.stringify(resumed.diagnostics)).toBe(JSON.stringify(full.diagnostics));
  expect(tenantTables(resumed.model, options.tenantColumn)).toEqual(tenantTables(full.model, options.tenantColumn));
  // The whole model, statements and policy expressions included, sharing and all.
  expect(JSON.stringify(encodeGraph(resumed.model))).toBe(JSON.stringify(encodeGraph(full.model)));
  return { full, resumed };
}

describe('incremental lint on a generated project', () => {
  let files: MigrationFile[];
  let snapshot: LintSnapshot;
  const TAIL = 20;

  beforeAll(async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'supagate-inc-')), 'project');
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'bench/generate.js'), '--functions', '5', '--migrations', '300', '--seed', '7', '--out', out]);
    const dir = path.join(out, M);
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .map((f) => ({ path: `${M}/${f}`, text: readFileSync(path.join(dir, f), 'utf8') }));
    const first = await lintMigrations(files, {}, { snapshotAt: files.length - TAIL });
    expect(first.resumed).toBe(0);
    snapshot = stored(first.snapshot);
  });

  it('replays only the tail when the newest migration changed', async () => {
    const changed = files.map((f, i) =>
      i === files.length - 1 ? { ...f, text: `${f.text}\ncreate table public.late_notes (id uuid primary key, clinic_id uuid);\n` } : f,
    );
    const { full, resumed } = await expectSameAsFull(changed, snapshot);
    expect(resumed.resumed).toBe(files.length - TAIL);
    expect(full.diagnostics.some((d) => d.file === changed[changed.length - 1].path && d.message.includes('late_notes'))).toBe(true);
  });

  it('replays only the tail when a migration was added, and can take the next snapshot', async () => {
    const added = [...files, { path: `${M}/29991231000000_added.sql`, text: 'create table public.added (id uuid primary key);\n' }];
    const { resumed } = await expectSameAsFull(added, snapshot);
    expect(resumed.resumed).toBe(files.length - TAIL);
    const next = await lintMigrations(added, {}, { resumeFrom: snapshot, snapshotAt: added.length - TAIL });
    expect(next.resumed).toBe(files.length - TAIL);
    const again = await expectSameAsFull(added, stored(next.snapshot));
    expect(again.resumed.resumed).toBe(added.length - TAIL);
  });

  it('lints everything when an old migration changed, was renamed or removed', async () => {
    const edited = files.map((f, i) => (i === 10 ? { ...f, text: `${f.text}\n-- edited\n` } : f));
    expect((await expectSameAsFull(edited, snapshot)).resumed.resumed).toBe(0);
    const renamed = files.map((f, i) => (i === 10 ? { ...f, path: f.path.replace('.sql', '_renamed.sql') } : f));
    expect((await expectSameAsFull(renamed, snapshot)).resumed.resumed).toBe(0);
    const removed = files.filter((_, i) => i !== 10);
    expect((await expectSameAsFull(removed, snapshot)).resumed.resumed).toBe(0);
  });

  it('lints everything when the options changed, but not for another reportOnly', async () => {
    const options: SqlLintOptions = { tenantColumn: 'tenant_id', rules: { 'require-rls': 'warn' } };
    expect((await expectSameAsFull(files, snapshot, options)).resumed.resumed).toBe(0);
    const only = { reportOnly: [files[files.length - 1].path] };
    expect((await expectSameAsFull(files, snapshot, only)).resumed.resumed).toBe(files.length - TAIL);
  });
});

describe('incremental lint: what a prefix leaves behind', () => {
  const history: Record<string, string> = {
    '20240101000000_clinics.sql': CLINICS,
    // Suppressions of a model-level finding, one used only at the end, one never used.
    '20240102000000_notes.sql': `-- supagate-ignore require-rls -- RLS is enabled in a later migration
create table public.notes (id uuid primary key, clinic_id uuid not null references public.clinics (id));
-- supagate-ignore require-tenant-column -- nothing to suppress here
create table public.settings (id uuid primary key, clinic_id uuid not null);
`,
    '20240103000000_broken.sql': 'create table public.ok (id uuid primary key);\ncreate tabel nope (id int);\n',
    '20240104000000_do.sql': `do $$ begin execute 'create table public.dyn (id int)'; end $$;
set search_path = private;
create table hidden (id uuid primary key);
`,
    '20240105000000_views.sql': `create view public.notes_view as select * from public.notes;
alter table public.notes rename to notes_v2;
`,
    '20240106000000_newest.sql': `create policy "members" on public.notes_v2 for all to authenticated using (clinic_id = (auth.jwt() -> 'user_metadata' ->> 'clinic_id')::uuid);\n`,
  };
  const files = Object.entries(history).map(([name, text]) => ({ path: `${M}/${name}`, text }));

  it.each([0, 1, 2, 3, 4, 5, 6])('gives a full lint’s result from a snapshot after %i files', async (at) => {
    const { snapshot } = await lintMigrations(files, {}, { snapshotAt: at });
    const changed = files.map((f, i) => (i === files.length - 1 && at < files.length ? { ...f, text: `${f.text}alter table public.notes_v2 enable row level security;\n` } : f));
    const { full, resumed } = await expectSameAsFull(changed, stored(snapshot));
    // After all six files nothing changed: the whole history comes from the snapshot.
    expect(resumed.resumed).toBe(at);
    if (at === files.length - 1) {
      const rules = full.diagnostics.map((d) => d.ruleId);
      expect(rules).toEqual(expect.arrayContaining(['syntax-error', 'unused-suppression', 'opaque-statement', 'no-user-metadata-in-policy']));
    }
  });

  it('takes no snapshot before the point it resumed from', async () => {
    const { snapshot } = await lintMigrations(files, {}, { snapshotAt: 4 });
    const again = await lintMigrations(files, {}, { resumeFrom: stored(snapshot), snapshotAt: 4 });
    expect(again.resumed).toBe(4);
    expect(again.snapshot).toBeUndefined();
    expect((await lintMigrations(files, {}, { resumeFrom: stored(snapshot), snapshotAt: 2 })).snapshot).toBeUndefined();
    expect((await lintMigrations(files, {}, { resumeFrom: stored(snapshot), snapshotAt: 5 })).snapshot?.files).toHaveLength(5);
  });

  it('ignores a snapshot of another format', async () => {
    const { snapshot } = await lintMigrations(files, {}, { snapshotAt: 4 });
    const other = { ...stored(snapshot), format: 'something-else' } as unknown as LintSnapshot;
    expect((await lintMigrations(files, {}, { resumeFrom: other })).resumed).toBe(0);
  });
});

describe('snapshot graph encoding', () => {
  it('keeps sharing, cycles, Maps, Sets, undefined, key order and named constants', () => {
    const constant = Object.freeze({});
    const shared = { line: 1, text: 'create table x ()' };
    const table: Record<string, unknown> = { name: 't', createdAt: shared, changedAt: shared, missing: undefined, node: constant };
    const policy = { table, using: { A_Expr: { kind: 'AEXPR_OP', lexpr: null } } };
    table.policies = new Map([['p', policy]]);
    table.used = new Set(['a', 'b']);
    table.frozen = Object.freeze({ a: 1 });
    const root = { tables: new Map([['public.t', table]]), list: [shared, -1.5, true, null] };
    const decoded = decodeGraph(JSON.parse(JSON.stringify(encodeGraph(root, new Map([[constant, 'k']])))), new Map([['k', constant]])) as typeof root;
    const t = decoded.tables.get('public.t') as typeof table;
    expect(Object.keys(t)).toEqual(Object.keys(table));
    expect(t.createdAt).toBe(t.changedAt);
    expect(decoded.list[0]).toBe(t.createdAt);
    expect('missing' in t && t.missing === undefined).toBe(true);
    expect(t.node).toBe(constant);
    expect((t.policies as Map<string, typeof policy>).get('p')?.table).toBe(t);
    expect([...(t.used as Set<string>)]).toEqual(['a', 'b']);
    expect(Object.isFrozen(t.frozen)).toBe(true);
    expect(decoded).toEqual(root);
  });

  it('does not let a "__proto__" key change a prototype', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const decoded = decodeGraph(JSON.parse(JSON.stringify(encodeGraph(value)))) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
