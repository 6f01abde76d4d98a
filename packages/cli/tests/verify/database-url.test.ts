import pg from 'pg';
import { fixture, runCli } from '../helpers.js';

// `--database-url` against a real server: CI installs and starts one (bash .ci/run) and sets
// SUPAGATE_TEST_DATABASE_URL. The probe cases themselves run on both back ends in probe.test.ts;
// this file checks what only a shared server can get wrong: the run must leave it as it found it.
const DATABASE_URL = process.env.SUPAGATE_TEST_DATABASE_URL;

interface ServerState {
  databases: string[];
  roles: string[];
  schemas: string[];
  tables: string[];
}

async function serverState(url: string): Promise<ServerState> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const list = async (sql: string) => (await client.query<{ n: string }>(sql)).rows.map((r) => r.n).sort();
    return {
      databases: await list('select datname as n from pg_database'),
      roles: await list(`select rolname as n from pg_roles`),
      schemas: await list('select nspname as n from pg_namespace'),
      tables: await list(`select relnamespace::regnamespace || '.' || relname as n from pg_class where relkind in ('r', 'v', 'p')`),
    };
  } finally {
    await client.end();
  }
}

describe.skipIf(!DATABASE_URL)('supagate verify --database-url (a real Postgres)', () => {
  const url = DATABASE_URL as string;

  it('replays and probes in a throwaway database, and leaves the server as it found it', async () => {
    const before = await serverState(url);
    const clinic = await runCli(['gate', fixture('clinic-app'), '--verify', '--database-url', url, '--format', 'json', '--no-cache']);
    const clean = await runCli(['verify', fixture('clean-app'), '--database-url', url]);
    const after = await serverState(url);

    expect(clean.code).toBe(0);
    expect(clean.stderr).toMatch(/68\/68 statements applied from 7 migrations \(0 rejected\) · 8 tables and views probed, 0 leaks, 0 not probed/);
    expect(clinic.code).toBe(1);
    const findings = (JSON.parse(clinic.stdout) as { findings: Array<{ ruleId: string; object?: string }> }).findings;
    expect(findings.filter((f) => f.ruleId === '@supagate/tenant-leak').map((f) => f.object)).toEqual(['public.professionals', 'public.agenda_do_dia', 'public.agenda_do_dia']);
    expect(findings.filter((f) => f.ruleId === '@supagate/migration-error')).toEqual([]);

    // Nothing written to the database the URL names, no database or role left behind.
    expect(after).toEqual(before);
  }, 120_000);

  it('never prints the password of the URL', async () => {
    const parsed = new URL(url);
    const run = await runCli(['verify', fixture('clinic-app'), '--database-url', url]);
    if (parsed.password) expect(run.stdout + run.stderr).not.toContain(parsed.password);
  }, 120_000);
});
