import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite, type Extensions } from '@electric-sql/pglite';
import type { VerifyDatabase } from './database.js';

/**
 * The Supabase-shaped database the migrations are replayed into: what a fresh Supabase project
 * has before its first migration (roles, schemas, `auth.users`, the `auth.*` helpers reading the
 * request's JWT claims the way PostgREST sets them, a minimal `storage`, the extensions
 * Supabase pre-installs), on PGlite (Postgres in WASM).
 */

/** Extensions PGlite ships (contrib module name in `@electric-sql/pglite/contrib/<module>`), by extension name. */
const PGLITE_CONTRIB: Record<string, string> = {
  amcheck: 'amcheck',
  bloom: 'bloom',
  btree_gin: 'btree_gin',
  btree_gist: 'btree_gist',
  citext: 'citext',
  cube: 'cube',
  dict_int: 'dict_int',
  dict_xsyn: 'dict_xsyn',
  earthdistance: 'earthdistance',
  file_fdw: 'file_fdw',
  fuzzystrmatch: 'fuzzystrmatch',
  hstore: 'hstore',
  intarray: 'intarray',
  isn: 'isn',
  lo: 'lo',
  ltree: 'ltree',
  moddatetime: 'moddatetime',
  pageinspect: 'pageinspect',
  pg_buffercache: 'pg_buffercache',
  pg_freespacemap: 'pg_freespacemap',
  pg_surgery: 'pg_surgery',
  pg_trgm: 'pg_trgm',
  pg_visibility: 'pg_visibility',
  pg_walinspect: 'pg_walinspect',
  pgcrypto: 'pgcrypto',
  seg: 'seg',
  tablefunc: 'tablefunc',
  tcn: 'tcn',
  tsm_system_rows: 'tsm_system_rows',
  tsm_system_time: 'tsm_system_time',
  unaccent: 'unaccent',
  'uuid-ossp': 'uuid_ossp',
};

/** Extensions built into the server (no bundle to load). */
const BUILT_IN = new Set(['plpgsql']);

/** What Supabase installs in every project before the first migration. */
const PREINSTALLED = ['pgcrypto', 'uuid-ossp'];

/**
 * Stand-ins for extensions PGlite lacks, created when a migration asks for the extension: the
 * schema and the functions migrations call (so `select cron.schedule(…)` after
 * `create extension pg_cron` still applies). None of them does anything.
 */
const STUBS: Record<string, string> = {
  pg_cron: `
    create schema if not exists cron;
    create table if not exists cron.job (jobid bigserial primary key, schedule text not null, command text not null,
      nodename text not null default 'localhost', nodeport int not null default 5432, database text not null default current_database(),
      username text not null default current_user, active boolean not null default true, jobname text);
    create table if not exists cron.job_run_details (jobid bigint, runid bigserial primary key, job_pid int, database text, username text,
      command text, status text, return_message text, start_time timestamptz, end_time timestamptz);
    create or replace function cron.schedule(job_name text, schedule text, command text) returns bigint language sql
      as $$ insert into cron.job (jobname, schedule, command) values (job_name, schedule, command) returning jobid $$;
    create or replace function cron.schedule(schedule text, command text) returns bigint language sql
      as $$ insert into cron.job (schedule, command) values (schedule, command) returning jobid $$;
    create or replace function cron.schedule_in_database(job_name text, schedule text, command text, database text,
      username text default null, active boolean default true) returns bigint language sql
      as $$ insert into cron.job (jobname, schedule, command) values (job_name, schedule, command) returning jobid $$;
    create or replace function cron.unschedule(job_id bigint) returns boolean language sql
      as $$ with d as (delete from cron.job where jobid = job_id returning 1) select exists (select 1 from d) $$;
    create or replace function cron.unschedule(job_name text) returns boolean language sql
      as $$ with d as (delete from cron.job where jobname = job_name returning 1) select exists (select 1 from d) $$;
    create or replace function cron.alter_job(job_id bigint, schedule text default null, command text default null,
      database text default null, username text default null, active boolean default null) returns void language sql as $$ select $$;`,
  pg_net: `
    create schema if not exists net;
    create table if not exists net.http_request_queue (id bigserial primary key, method text, url text, headers jsonb, body bytea, timeout_milliseconds int);
    create table if not exists net._http_response (id bigint, status_code int, content_type text, headers jsonb, content text,
      timed_out boolean, error_msg text, created timestamptz not null default now());
    create or replace function net.http_post(url text, body jsonb default '{}'::jsonb, params jsonb default '{}'::jsonb,
      headers jsonb default '{"Content-Type": "application/json"}'::jsonb, timeout_milliseconds int default 5000) returns bigint
      language sql as $$ select 1::bigint $$;
    create or replace function net.http_get(url text, params jsonb default '{}'::jsonb, headers jsonb default '{}'::jsonb,
      timeout_milliseconds int default 5000) returns bigint language sql as $$ select 1::bigint $$;
    create or replace function net.http_delete(url text, params jsonb default '{}'::jsonb, headers jsonb default '{}'::jsonb,
      timeout_milliseconds int default 5000) returns bigint language sql as $$ select 1::bigint $$;`,
  supabase_vault: `
    create schema if not exists vault;
    create table if not exists vault.secrets (id uuid primary key default gen_random_uuid(), name text unique, description text not null default '',
      secret text not null, key_id uuid, nonce bytea, created_at timestamptz not null default now(), updated_at timestamptz not null default now());
    create or replace view vault.decrypted_secrets as select s.*, s.secret as decrypted_secret from vault.secrets s;
    create or replace function vault.create_secret(new_secret text, new_name text default null, new_description text default '',
      new_key_id uuid default null) returns uuid language sql
      as $$ insert into vault.secrets (secret, name, description) values (new_secret, new_name, new_description) returning id $$;
    create or replace function vault.update_secret(secret_id uuid, new_secret text default null, new_name text default null,
      new_description text default null, new_key_id uuid default null) returns void language sql
      as $$ update vault.secrets set secret = coalesce(new_secret, secret), name = coalesce(new_name, name),
            description = coalesce(new_description, description), updated_at = now() where id = secret_id $$;`,
  pgmq: `
    create schema if not exists pgmq;
    create or replace function pgmq.create(queue_name text) returns void language sql as $$ select $$;
    create or replace function pgmq.drop_queue(queue_name text) returns boolean language sql as $$ select true $$;
    create or replace function pgmq.send(queue_name text, msg jsonb, delay int default 0) returns setof bigint language sql as $$ select 1::bigint $$;
    create or replace function pgmq.send_batch(queue_name text, msgs jsonb[], delay int default 0) returns setof bigint language sql as $$ select 1::bigint $$;
    create or replace function pgmq.read(queue_name text, vt int, qty int)
      returns table (msg_id bigint, read_ct int, enqueued_at timestamptz, vt timestamptz, message jsonb) language sql
      as $$ select null::bigint, null::int, null::timestamptz, null::timestamptz, null::jsonb where false $$;
    create or replace function pgmq.pop(queue_name text)
      returns table (msg_id bigint, read_ct int, enqueued_at timestamptz, vt timestamptz, message jsonb) language sql
      as $$ select null::bigint, null::int, null::timestamptz, null::timestamptz, null::jsonb where false $$;
    create or replace function pgmq.delete(queue_name text, msg_id bigint) returns boolean language sql as $$ select true $$;
    create or replace function pgmq.archive(queue_name text, msg_id bigint) returns boolean language sql as $$ select true $$;`,
  pgsodium: `create schema if not exists pgsodium;`,
  pg_graphql: `create schema if not exists graphql;`,
  pgjwt: `
    create or replace function extensions.sign(payload json, secret text, algorithm text default 'HS256') returns text
      language sql as $$ select 'stub.jwt.token'::text $$;
    create or replace function extensions.verify(token text, secret text, algorithm text default 'HS256')
      returns table (header json, payload json, valid boolean) language sql as $$ select null::json, null::json, false $$;`,
};
// pgvector: a text-like type that takes any input and a dimension (`vector(1536)`), and the
// distance operators returning 0, so tables and match_* functions apply; its index methods
// (hnsw, ivfflat) are not stood in for (see INDEX_METHODS_OF_STUBS).
STUBS.vector = `
  create schema if not exists extensions;
  create type extensions.vector;
  create function extensions.vector_in(cstring, oid, integer) returns extensions.vector language internal immutable strict as 'textin';
  create function extensions.vector_out(extensions.vector) returns cstring language internal immutable strict as 'textout';
  create function extensions.vector_typmod_in(cstring[]) returns integer language internal immutable strict as 'varchartypmodin';
  create function extensions.vector_typmod_out(integer) returns cstring language internal immutable strict as 'varchartypmodout';
  create type extensions.vector (input = extensions.vector_in, output = extensions.vector_out, typmod_in = extensions.vector_typmod_in,
    typmod_out = extensions.vector_typmod_out, internallength = variable, storage = extended);
  create function extensions.vector_distance_stand_in(extensions.vector, extensions.vector) returns double precision
    language sql immutable as 'select 0::double precision';
  create operator extensions.<=> (leftarg = extensions.vector, rightarg = extensions.vector, function = extensions.vector_distance_stand_in);
  create operator extensions.<-> (leftarg = extensions.vector, rightarg = extensions.vector, function = extensions.vector_distance_stand_in);
  create operator extensions.<#> (leftarg = extensions.vector, rightarg = extensions.vector, function = extensions.vector_distance_stand_in);`;
STUBS.vault = STUBS.supabase_vault;

/** Index access methods of stood-in extensions: an index using one is skipped, not an error. */
export const INDEX_METHODS_OF_STUBS: Record<string, string> = { hnsw: 'vector', ivfflat: 'vector' };

/**
 * The roles of a Supabase project. Roles belong to the whole cluster, not to one database, so on
 * a real Postgres only the missing ones are created (and dropped again afterwards); each entry's
 * SQL runs when its role is created.
 */
export const SUPABASE_ROLES: ReadonlyArray<{ name: string; sql: string }> = [
  { name: 'anon', sql: `create role anon nologin noinherit; alter role anon set statement_timeout to '3s'` },
  { name: 'authenticated', sql: `create role authenticated nologin noinherit; alter role authenticated set statement_timeout to '8s'` },
  { name: 'service_role', sql: 'create role service_role nologin noinherit bypassrls' },
  { name: 'authenticator', sql: 'create role authenticator login noinherit; grant anon, authenticated, service_role to authenticator' },
  { name: 'supabase_admin', sql: 'create role supabase_admin superuser createdb createrole replication bypassrls' },
  { name: 'supabase_auth_admin', sql: 'create role supabase_auth_admin noinherit createrole' },
  { name: 'supabase_storage_admin', sql: 'create role supabase_storage_admin noinherit createrole' },
  { name: 'supabase_functions_admin', sql: 'create role supabase_functions_admin noinherit createrole' },
  { name: 'supabase_realtime_admin', sql: 'create role supabase_realtime_admin noinherit' },
  { name: 'supabase_replication_admin', sql: 'create role supabase_replication_admin replication' },
  { name: 'supabase_read_only_user', sql: 'create role supabase_read_only_user bypassrls' },
  { name: 'dashboard_user', sql: 'create role dashboard_user createdb createrole replication' },
  { name: 'pgbouncer', sql: 'create role pgbouncer' },
];

/**
 * The Supabase project before any migration, inside one fresh database (after the roles): the
 * session's user becomes a member of the API roles, as `postgres` is on Supabase, so the probe
 * can act as them.
 */
export const SUPABASE_SETUP_SQL = `
grant anon, authenticated, service_role to current_user;

create schema extensions;
create schema auth authorization supabase_auth_admin;
create schema storage authorization supabase_storage_admin;
create schema graphql;
create schema graphql_public;
create schema realtime;
create schema supabase_functions;

grant usage on schema public, extensions, graphql_public, storage, auth to anon, authenticated, service_role;
grant all on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;

create table auth.users (
  instance_id uuid,
  id uuid not null primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  recovery_token varchar(255),
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  phone text unique default null,
  phone_confirmed_at timestamptz,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  banned_until timestamptz,
  deleted_at timestamptz,
  is_sso_user boolean not null default false,
  is_anonymous boolean not null default false
);
create table auth.identities (
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  last_sign_in_at timestamptz,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  email text generated always as (lower(identity_data ->> 'email')) stored,
  id uuid not null default gen_random_uuid() primary key,
  unique (provider_id, provider)
);
create table auth.sessions (
  id uuid not null primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  aal text,
  not_after timestamptz
);
alter table auth.users owner to supabase_auth_admin;
alter table auth.identities owner to supabase_auth_admin;
alter table auth.sessions owner to supabase_auth_admin;

-- As Supabase defines them: the claims PostgREST puts in request.jwt.claims (older PostgREST: request.jwt.claim.*).
create function auth.uid() returns uuid language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;
create function auth.role() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;
create function auth.email() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;
create function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;
alter function auth.uid() owner to supabase_auth_admin;
alter function auth.role() owner to supabase_auth_admin;
alter function auth.email() owner to supabase_auth_admin;
alter function auth.jwt() owner to supabase_auth_admin;
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt() to public;
grant select on auth.users to service_role;

create table storage.buckets (
  id text not null primary key,
  name text not null unique,
  owner uuid,
  owner_id text,
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create table storage.objects (
  id uuid not null default gen_random_uuid() primary key,
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  metadata jsonb,
  user_metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  unique (bucket_id, name)
);
alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;
alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;
create function storage.foldername(name text) returns text[] language sql immutable as $$
  select (string_to_array(name, '/'))[1:array_length(string_to_array(name, '/'), 1) - 1]
$$;
create function storage.filename(name text) returns text language sql immutable as $$
  select (string_to_array(name, '/'))[array_length(string_to_array(name, '/'), 1)]
$$;
create function storage.extension(name text) returns text language sql immutable as $$
  select reverse(split_part(reverse(name), '.', 1))
$$;

create table realtime.messages (
  id uuid not null default gen_random_uuid() primary key,
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  inserted_at timestamp not null default now(),
  updated_at timestamp not null default now()
);
alter table realtime.messages enable row level security;
create function realtime.send(payload jsonb, event text, topic text, private boolean default true) returns void
  language sql as $$ select $$;
create function realtime.broadcast_changes(topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW') returns void language plpgsql as $$ begin end $$;
create function realtime.topic() returns text language sql stable as $$ select current_setting('realtime.topic', true) $$;

create function graphql_public.graphql("operationName" text default null, query text default null, variables jsonb default null,
  extensions jsonb default null) returns jsonb language sql as $$ select '{}'::jsonb $$;

create publication supabase_realtime;

do $do$ begin execute format('alter database %I set search_path to "$user", public, extensions', current_database()); end $do$;
`;

export interface ShimOptions {
  /** Extension names the migrations create: the ones PGlite ships are loaded into the instance. */
  extensions?: Iterable<string>;
}

/** Extension names PGlite can install (loaded into an instance on request). */
export function isAvailableExtension(name: string): boolean {
  return BUILT_IN.has(name) || name in PGLITE_CONTRIB;
}

/** SQL standing in for an extension the database does not have, or undefined when nothing is needed. */
export function extensionStub(name: string): string | undefined {
  return STUBS[name];
}

/** Search path of a Supabase session (`"$user", public, extensions`). */
export const SUPABASE_SEARCH_PATH = '"$user", public, extensions';

/** The whole Supabase shape for a fresh cluster: every role, then the database objects. */
const FULL_SETUP_SQL = `${SUPABASE_ROLES.map((r) => `${r.sql};`).join('\n')}\n${SUPABASE_SETUP_SQL}`;

async function loadExtensions(names: Iterable<string>): Promise<Extensions> {
  const wanted = new Set([...PREINSTALLED, ...names]);
  const out: Extensions = {};
  for (const name of [...wanted].sort()) {
    const module = PGLITE_CONTRIB[name];
    if (!module) continue;
    const loaded = (await import(`@electric-sql/pglite/contrib/${module}`)) as Record<string, Extensions[string]>;
    const ext = loaded[module];
    if (ext) out[module] = ext;
  }
  return out;
}

/**
 * A fresh PGlite shaped like a Supabase project. Templates are cached per extension set within
 * the process (a second database starts from a copy of the first instead of running initdb again).
 */
export async function createSupabaseDatabase(options: ShimOptions & { cacheTemplate?: boolean; cacheDir?: string } = {}): Promise<VerifyDatabase> {
  const extensions = await loadExtensions(options.extensions ?? []);
  const key = Object.keys(extensions).sort().join(',');
  let db: PGlite;
  if (options.cacheTemplate ?? cacheByDefault) {
    let template = templates.get(key);
    if (!template) {
      template = (async () => (await readTemplate(options.cacheDir, key)) ?? (await buildTemplate(extensions, options.cacheDir, key)))();
      templates.set(key, template);
      template.catch(() => templates.delete(key));
    }
    db = await PGlite.create({ extensions, loadDataDir: await template });
  } else if (options.cacheDir) {
    // initdb in WASM is most of a run's start-up (17 s of 20 on a loaded 2-core machine; loading
    // a saved data directory takes 2–3 s), so the initialised database is kept on disk.
    const saved = await readTemplate(options.cacheDir, key);
    // A damaged file (a run killed mid-write on another file system) costs one initdb, not the run.
    db = saved
      ? await PGlite.create({ extensions, loadDataDir: saved }).catch(async () => PGlite.create({ extensions, loadDataDir: await buildTemplate(extensions, options.cacheDir, key) }))
      : await PGlite.create({ extensions, loadDataDir: await buildTemplate(extensions, options.cacheDir, key) });
  } else {
    db = await PGlite.create({ extensions });
    await db.exec(FULL_SETUP_SQL);
  }
  await db.exec(`set search_path to ${SUPABASE_SEARCH_PATH}`);
  return {
    label: 'the embedded Postgres (PGlite)',
    exec: (sql) => db.exec(sql),
    query: <T>(sql: string, params?: unknown[]) => db.query<T>(sql, params),
    hasExtension: isAvailableExtension,
    close: () => db.close(),
  };
}

/** The Supabase-shaped data directory after initdb and the setup SQL, as a gzipped tar. */
async function buildTemplate(extensions: Extensions, cacheDir: string | undefined, key: string): Promise<Blob | File> {
  const fresh = await PGlite.create({ extensions });
  await fresh.exec(FULL_SETUP_SQL);
  const dump = await fresh.dumpDataDir('gzip');
  await fresh.close();
  if (cacheDir) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const file = templateFile(cacheDir, key);
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      renameSync(partial, file);
    } catch {
      // A read-only node_modules only costs the next run its initdb.
    }
  }
  return dump;
}

async function readTemplate(cacheDir: string | undefined, key: string): Promise<Blob | undefined> {
  if (!cacheDir) return undefined;
  try {
    return new Blob([readFileSync(templateFile(cacheDir, key))]);
  } catch {
    return undefined;
  }
}

/** Keyed by PGlite's version, the setup SQL and the extensions loaded: any change builds a new one. */
function templateFile(cacheDir: string, key: string): string {
  const id = createHash('sha256').update(JSON.stringify([PGLITE_VERSION, FULL_SETUP_SQL, key])).digest('hex').slice(0, 16);
  return path.join(cacheDir, `pglite-template-${id}.tar.gz`);
}

/** PGlite's version, from the package.json above its entry point (the package does not export it). */
const PGLITE_VERSION = ((): string => {
  try {
    let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

const templates = new Map<string, Promise<Blob | File>>();
let cacheByDefault = false;

/** Makes every later database in this process start from a cached template (tests, long-lived processes). */
export function enableTemplateCache(): void {
  cacheByDefault = true;
}
