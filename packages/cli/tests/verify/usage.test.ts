import { lintMigrations } from '@supagate/sql-lint';
import { compareWithModel, type Catalog, type CatalogTable } from '../../src/verify/catalog.js';
import { fixture, runCli } from '../helpers.js';

// What needs no database: the CLI's flags and rule table, and the catalog/model comparison.
describe('supagate verify: usage', () => {
  it('lists the verify rules under their gates', async () => {
    const { code, stdout } = await runCli(['rules']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/migration\s+@supagate\/migration-error/);
    expect(stdout).toMatch(/migration\s+@supagate\/model-mismatch/);
    expect(stdout).toMatch(/tenant-isolation\s+@supagate\/tenant-leak/);
    expect(stdout).toMatch(/tenant-isolation\s+@supagate\/probe-skipped/);
  });

  it('--database-url that is not a postgres URL, or a server that does not answer, is a usage error with the password masked', async () => {
    const notUrl = await runCli(['verify', fixture('clean-app'), '--database-url', 'mysql://root:hunter2@localhost/db']);
    expect(notUrl).toMatchObject({ code: 2, stderr: expect.stringContaining('must be a postgres:// or postgresql:// URL') });
    // Port 9 (discard) on loopback: nothing listens there, the connection is refused at once.
    const refused = await runCli(['gate', fixture('clean-app'), '--verify', '--database-url', 'postgres://postgres:s3cr3t-pw@127.0.0.1:9/postgres']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('cannot connect to postgres://postgres:***@127.0.0.1:9/postgres');
    for (const run of [notUrl, refused]) {
      expect(run.stderr).not.toMatch(/hunter2|s3cr3t-pw/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--membership-sql and --database-url on gate need --verify', async () => {
    const run = await runCli(['gate', fixture('clean-app'), '--membership-sql', 'select 1']);
    expect(run).toMatchObject({ code: 2, stderr: expect.stringContaining('need --verify') });
  });

  it('rejects an unknown format and a second directory', async () => {
    expect((await runCli(['verify', '--format', 'xml'])).code).toBe(2);
    expect((await runCli(['verify', 'a', 'b'])).code).toBe(2);
  });
});

const SQL = `create table public.rooms (
  id uuid primary key,
  clinic_id uuid not null
);
alter table public.rooms enable row level security;
create policy "members read rooms" on public.rooms
  for select to authenticated
  using (true);
`;

function catalogTable(overrides: Partial<CatalogTable> = {}): CatalogTable {
  return {
    oid: 1,
    schema: 'public',
    name: 'rooms',
    key: 'public.rooms',
    kind: 'table',
    isPartition: false,
    rls: true,
    forceRls: false,
    exposed: true,
    columns: [
      { name: 'id', type: 'uuid', baseType: 'uuid', category: 'U', enumLabels: [], elementLabels: [], notNull: true, hasDefault: false, identity: false, generated: false },
      { name: 'clinic_id', type: 'uuid', baseType: 'uuid', category: 'U', enumLabels: [], elementLabels: [], notNull: true, hasDefault: false, identity: false, generated: false },
    ],
    policies: [{ name: 'members read rooms', command: 'select', permissive: true, roles: ['authenticated'], using: 'true', withCheck: null }],
    foreignKeys: [],
    checks: [],
    primaryKey: ['id'],
    ...overrides,
  };
}

describe('compareWithModel', () => {
  const compare = async (table: CatalogTable | null, unreliable = false) => {
    const { model } = await lintMigrations([{ path: 'supabase/migrations/1_rooms.sql', text: SQL }]);
    const catalog: Catalog = { tables: new Map(table ? [[table.key, table]] : []), views: [], functions: [] };
    const statements = [...model.tables.get('public.rooms')!.policies.values()].map((p) => ({ ...p.createdAt, text: SQL }));
    return compareWithModel(catalog, model, {
      tenantColumn: 'clinic_id',
      exposedSchemas: ['public'],
      statements: statements as never,
      unreliable: unreliable ? (statements as never) : [],
    });
  };

  it('agrees when the database matches the model', async () => {
    expect(await compare(catalogTable())).toEqual([]);
  });

  it('reports RLS, tenant column and policy disagreements at the statement that set them', async () => {
    const findings = await compare(
      catalogTable({
        rls: false,
        columns: catalogTable().columns.filter((c) => c.name !== 'clinic_id'),
        policies: [{ name: 'members read rooms', command: 'all', permissive: true, roles: ['public'], using: 'true', withCheck: null }],
      }),
    );
    expect(findings.map((f) => [f.ruleId, f.line, f.object])).toEqual([
      ['@supagate/model-mismatch', 5, 'public.rooms'],
      ['@supagate/model-mismatch', 1, 'public.rooms'],
      ['@supagate/model-mismatch', 6, 'public.rooms'],
    ]);
    expect(findings[0].message).toContain('the database says disabled');
    expect(findings[1].message).toContain('tenant column clinic_id');
    expect(findings[2].message).toContain('command all in the database, select in the model');
    expect(findings[2].message).toContain('roles public in the database, authenticated in the model');
  });

  it('reports a table the database lacks', async () => {
    const findings = await compare(null);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('the database does not');
  });

  it('says nothing about objects a rejected statement names', async () => {
    expect(await compare(null, true)).toEqual([]);
  });
});
