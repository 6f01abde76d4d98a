import { readdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSupabaseDatabase } from '../../src/verify/supabase-shim.js';

// The initialised Supabase-shaped database is kept on disk, so only the first run pays initdb.
describe('embedded database template on disk', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'supagate-template-'));
  const templates = () => readdirSync(dir).filter((f) => /^pglite-template-[0-9a-f]{16}\.tar\.gz$/.test(f));
  const roles = async (): Promise<string[]> => {
    const db = await createSupabaseDatabase({ cacheDir: dir });
    try {
      const r = await db.query<{ rolname: string }>(`select rolname from pg_roles where rolname in ('anon', 'authenticated', 'service_role') order by 1`);
      await db.exec('create table public.scratch (id int)');
      return r.rows.map((row) => row.rolname);
    } finally {
      await db.close();
    }
  };

  it('writes it on the first run and starts from it on the next, without carrying over what a run wrote', async () => {
    expect(await roles()).toEqual(['anon', 'authenticated', 'service_role']);
    expect(templates()).toHaveLength(1);
    // The second database would fail on `create table public.scratch` if the first run's table had leaked into the template.
    expect(await roles()).toEqual(['anon', 'authenticated', 'service_role']);
    expect(templates()).toHaveLength(1);
  }, 300_000);

  it('rebuilds a damaged template instead of failing', async () => {
    writeFileSync(path.join(dir, templates()[0]), 'not a tarball');
    expect(await roles()).toEqual(['anon', 'authenticated', 'service_role']);
  }, 300_000);
});
