import { randomBytes } from 'node:crypto';
import type { Client, ClientConfig } from 'pg';
import { UsageError } from '../errors.js';
import { maskDatabaseUrl, type ResultSet, type VerifyDatabase } from './database.js';
import { SUPABASE_ROLES, SUPABASE_SEARCH_PATH, SUPABASE_SETUP_SQL } from './supabase-shim.js';

/**
 * `--database-url`: the replay runs against a real Postgres (the Supabase local stack, a CI
 * service container), but never in the database the URL names. The replay is destructive and
 * the probe writes rows, so everything happens in a new database created for this run
 * (`supagate_verify_<random>`) and dropped at the end. Roles are shared by the whole cluster:
 * the Supabase roles that already exist are used as they are; the ones this run has to create
 * are dropped again when it ends.
 */
export async function openThrowawayPostgres(url: string): Promise<VerifyDatabase> {
  const shown = maskDatabaseUrl(url);
  const target = connectionTo(url, shown);
  const pg = (await import('pg')).default;
  const admin = new pg.Client(target);
  try {
    await admin.connect();
  } catch (error) {
    throw new UsageError(`cannot connect to ${shown}: ${messageOf(error)}`);
  }
  const name = `supagate_verify_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  try {
    // template0: nothing the cluster's template1 carries (extensions, tables) leaks into the replay.
    await admin.query(`create database ${name} template template0`);
  } catch (error) {
    await admin.end().catch(() => {});
    throw new UsageError(`cannot create a throwaway database on ${shown} (${messageOf(error)}); supagate verify needs a role with CREATEDB and never writes to the database the URL names`);
  }

  const createdRoles: string[] = [];
  let client: Client | undefined;
  const cleanUp = async (): Promise<void> => {
    await client?.end().catch(() => {});
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    for (const role of [...createdRoles].reverse()) {
      await admin.query(`drop role if exists ${role}`).catch(() => {});
    }
    await admin.end().catch(() => {});
  };

  try {
    const existing = new Set((await admin.query<{ rolname: string }>('select rolname from pg_roles')).rows.map((r) => r.rolname));
    for (const role of SUPABASE_ROLES) {
      if (existing.has(role.name)) continue;
      try {
        await admin.query(`begin; ${role.sql}; commit`);
        createdRoles.push(role.name);
      } catch (error) {
        await admin.query('rollback').catch(() => {});
        // Another run created it meanwhile (42710), or this role may not create it (e.g. a
        // superuser role without being one): the replay goes on without it.
        if ((error as { code?: string }).code !== '42710' && REQUIRED_ROLES.has(role.name)) {
          throw new UsageError(`cannot create the Supabase role "${role.name}" on ${shown} (${messageOf(error)})`);
        }
      }
    }

    client = new pg.Client({ ...target, connectionString: withDatabase(url, name) });
    await client.connect();
    // The whole run writes through this connection: it must be the throwaway database, never the URL's.
    const current = (await client.query<{ db: string }>('select current_database() as db')).rows[0]?.db;
    if (current !== name) throw new UsageError(`refusing to replay into "${current}" on ${shown}: expected the throwaway database ${name}`);
    await client.query(SUPABASE_SETUP_SQL);
    await client.query(`set search_path to ${SUPABASE_SEARCH_PATH}`);
    const available = new Set((await client.query<{ name: string }>('select name from pg_available_extensions')).rows.map((r) => r.name));
    const session = client;
    return {
      label: `the Postgres at ${shown} (throwaway database ${name})`,
      exec: async (sql) => toResultSets(await session.query(sql)),
      query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await session.query(sql, params)).rows as T[] }),
      hasExtension: (ext) => available.has(ext),
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot prepare the throwaway database on ${shown}: ${messageOf(error)}`);
  }
}

/** Roles the probe and the replay cannot do without. */
const REQUIRED_ROLES = new Set(['anon', 'authenticated', 'service_role']);

function connectionTo(url: string, shown: string): ClientConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--database-url must be a postgres:// URL, got ${shown}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UsageError(`--database-url must be a postgres:// or postgresql:// URL, got ${shown}`);
  }
  // No statement may hang the gate forever (a lock held by someone else on a shared cluster).
  return { connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'supagate verify' };
}

/** The same server and credentials, another database (the URL's path names the database). */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  parsed.searchParams.delete('dbname');
  return parsed.toString();
}

function toResultSets(result: unknown): ResultSet[] {
  const list = Array.isArray(result) ? result : [result];
  return list.map((r: { rows?: Array<Record<string, unknown>> }) => ({ rows: r.rows ?? [] }));
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message || error.constructor.name : String(error);
}
