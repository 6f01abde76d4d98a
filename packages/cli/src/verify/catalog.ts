import type { VerifyDatabase } from './database.js';
import { keyOf, type PolicyCommand, type SchemaModel, type SourceRef, type Statement } from '@supagate/sql-lint';
import type { Finding } from '../findings.js';
import { RULE_PREFIX } from '../gates.js';

/**
 * The final database as `pg_catalog` describes it, read by our own queries (not by sql-lint),
 * so the two views of the same history can be compared.
 */
export interface CatalogColumn {
  name: string;
  /** `format_type` of the column's type, e.g. `character varying(255)`. */
  type: string;
  /** Name of the base type (domains resolved), e.g. `uuid`, `varchar`, `timestamptz`. */
  baseType: string;
  /** `pg_type.typcategory` of the base type (S string, N numeric, D date/time, E enum, A array, U user…). */
  category: string;
  enumLabels: string[];
  /** Labels of the element type of an array of an enum (`user_role[]`). */
  elementLabels: string[];
  notNull: boolean;
  hasDefault: boolean;
  identity: boolean;
  generated: boolean;
}

export interface CatalogPolicy {
  name: string;
  command: PolicyCommand;
  permissive: boolean;
  roles: string[];
  using: string | null;
  withCheck: string | null;
}

export interface ForeignKey {
  name: string;
  columns: string[];
  target: string;
  targetColumns: string[];
}

export interface CatalogTable {
  oid: number;
  schema: string;
  name: string;
  /** Schema-qualified, as sql-lint's model keys it. */
  key: string;
  kind: 'table' | 'partitioned' | 'foreign';
  isPartition: boolean;
  rls: boolean;
  forceRls: boolean;
  exposed: boolean;
  columns: CatalogColumn[];
  policies: CatalogPolicy[];
  foreignKeys: ForeignKey[];
  /** `CHECK (…)` definitions as `pg_get_constraintdef` prints them. */
  checks: string[];
  primaryKey: string[];
}

export interface CatalogFunction {
  schema: string;
  name: string;
  body: string;
  securityDefiner: boolean;
}

/** A view or materialized view in an exposed schema, with the tables its query reads. */
export interface CatalogView {
  schema: string;
  name: string;
  key: string;
  materialized: boolean;
  securityInvoker: boolean;
  columns: string[];
  /** Keys of the relations its rewrite rule depends on. */
  reads: string[];
}

export interface Catalog {
  tables: Map<string, CatalogTable>;
  views: CatalogView[];
  functions: CatalogFunction[];
}

const SYSTEM_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast'];

const COMMANDS: Record<string, PolicyCommand> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };

export async function readCatalog(db: VerifyDatabase, exposedSchemas: string[]): Promise<Catalog> {
  const tables = await db.query<{ oid: number; schema: string; name: string; relkind: string; ispartition: boolean; rls: boolean; force: boolean }>(
    `select c.oid::int as oid, n.nspname as schema, c.relname as name, c.relkind::text as relkind, c.relispartition as ispartition,
            c.relrowsecurity as rls, c.relforcerowsecurity as force
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'f') and n.nspname <> all($1::text[]) and n.nspname not like 'pg_temp%'
      order by 2, 3`,
    [SYSTEM_SCHEMAS],
  );
  const oids = tables.rows.map((t) => t.oid);
  const columns = await db.query<{
    oid: number; name: string; type: string; base: string; category: string; labels: string[] | null; element_labels: string[] | null;
    notnull: boolean; hasdef: boolean; identity: string; generated: string;
  }>(
    `select a.attrelid::int as oid, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
            b.typname as base, b.typcategory::text as category,
            (select array_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e where e.enumtypid = b.oid) as labels,
            (select array_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e where e.enumtypid = b.typelem) as element_labels,
            a.attnotnull as notnull, a.atthasdef as hasdef, a.attidentity::text as identity, a.attgenerated::text as generated
       from pg_attribute a
       join pg_type t on t.oid = a.atttypid
       join pg_type b on b.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
      where a.attrelid = any($1::int[]::oid[]) and a.attnum > 0 and not a.attisdropped
      order by a.attrelid, a.attnum`,
    [oids],
  );
  const policies = await db.query<{ oid: number; name: string; cmd: string; permissive: boolean; roles: string[]; using: string | null; check: string | null }>(
    `select p.polrelid::int as oid, p.polname as name, p.polcmd::text as cmd, p.polpermissive as permissive,
            array(select case when r = 0 then 'public' else pg_get_userbyid(r)::text end from unnest(p.polroles) r order by 1) as roles,
            pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as check
       from pg_policy p where p.polrelid = any($1::int[]::oid[]) order by p.polname`,
    [oids],
  );
  const constraints = await db.query<{ oid: number; name: string; type: string; columns: string[]; tschema: string | null; tname: string | null; tcolumns: string[]; def: string }>(
    `select c.conrelid::int as oid, c.conname as name, c.contype::text as type,
            array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i)
                   join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as columns,
            tn.nspname as tschema, t.relname as tname,
            array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i)
                   join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as tcolumns,
            pg_get_constraintdef(c.oid) as def
       from pg_constraint c
       left join pg_class t on t.oid = c.confrelid
       left join pg_namespace tn on tn.oid = t.relnamespace
      where c.conrelid = any($1::int[]::oid[]) and c.contype in ('f', 'c', 'p')
      order by c.conname`,
    [oids],
  );
  const functions = await db.query<{ schema: string; name: string; body: string; definer: boolean }>(
    `select n.nspname as schema, p.proname as name, coalesce(p.prosrc, '') as body, p.prosecdef as definer
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname <> all($1::text[]) and n.nspname not in ('extensions', 'auth', 'storage', 'realtime', 'graphql', 'graphql_public', 'cron', 'net', 'vault', 'pgmq')
      order by 1, 2`,
    [SYSTEM_SCHEMAS],
  );

  const views = await db.query<{ schema: string; name: string; kind: string; invoker: boolean; columns: string[]; reads: Array<string> }>(
    `select n.nspname as schema, c.relname as name, c.relkind::text as kind,
            coalesce(c.reloptions @> array['security_invoker=true'] or c.reloptions @> array['security_invoker=on'], false) as invoker,
            array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns,
            array(select distinct rn.nspname || '.' || rc.relname
                    from pg_rewrite r join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid and d.refclassid = 'pg_class'::regclass
                    join pg_class rc on rc.oid = d.refobjid join pg_namespace rn on rn.oid = rc.relnamespace
                   where r.ev_class = c.oid and d.refobjid <> c.oid) as reads
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('v', 'm') and n.nspname = any($1::text[])
      order by 1, 2`,
    [exposedSchemas],
  );

  const byOid = new Map<number, CatalogTable>();
  const out = new Map<string, CatalogTable>();
  for (const t of tables.rows) {
    const table: CatalogTable = {
      oid: t.oid,
      schema: t.schema,
      name: t.name,
      key: keyOf(t),
      kind: t.relkind === 'p' ? 'partitioned' : t.relkind === 'f' ? 'foreign' : 'table',
      isPartition: t.ispartition,
      rls: t.rls,
      forceRls: t.force,
      exposed: exposedSchemas.includes(t.schema),
      columns: [],
      policies: [],
      foreignKeys: [],
      checks: [],
      primaryKey: [],
    };
    byOid.set(t.oid, table);
    out.set(table.key, table);
  }
  for (const c of columns.rows) {
    byOid.get(c.oid)?.columns.push({
      name: c.name,
      type: c.type,
      baseType: c.base,
      category: c.category,
      enumLabels: c.labels ?? [],
      elementLabels: c.element_labels ?? [],
      notNull: c.notnull,
      hasDefault: c.hasdef,
      identity: c.identity !== '',
      generated: c.generated !== '',
    });
  }
  for (const p of policies.rows) {
    byOid.get(p.oid)?.policies.push({
      name: p.name,
      command: COMMANDS[p.cmd] ?? 'all',
      permissive: p.permissive,
      roles: p.roles,
      using: p.using,
      withCheck: p.check,
    });
  }
  for (const c of constraints.rows) {
    const table = byOid.get(c.oid);
    if (!table) continue;
    if (c.type === 'f' && c.tschema && c.tname) {
      table.foreignKeys.push({ name: c.name, columns: c.columns, target: keyOf({ schema: c.tschema, name: c.tname }), targetColumns: c.tcolumns });
    } else if (c.type === 'c') table.checks.push(c.def);
    else if (c.type === 'p') table.primaryKey = c.columns;
  }
  return {
    tables: out,
    views: views.rows.map((v) => ({
      schema: v.schema,
      name: v.name,
      key: keyOf(v),
      materialized: v.kind === 'm',
      securityInvoker: v.invoker,
      columns: v.columns,
      reads: v.reads.map((r) => { const [schema, name] = r.split('.'); return keyOf({ schema, name }); }),
    })),
    functions: functions.rows.map((f) => ({ schema: f.schema, name: f.name, body: f.body, securityDefiner: f.definer })),
  };
}

export interface CompareContext {
  tenantColumn: string;
  exposedSchemas: string[];
  /** Every statement of the history, to place findings about objects the model does not know. */
  statements: Statement[];
  /** Statements the database rejected or the replay skipped: objects they name may differ on purpose. */
  unreliable: Statement[];
}

/**
 * Compares the catalog with sql-lint's model for the tables of exposed schemas: existence, RLS,
 * the tenant column, and policies (name, command, permissive, roles). A disagreement is a bug
 * in one of the two and becomes a `model-mismatch` finding. Objects named by a statement the
 * database rejected, or by one the model could not see into, are left out: there the two
 * are expected to differ.
 */
export function compareWithModel(catalog: Catalog, model: SchemaModel, context: CompareContext): Finding[] {
  const findings: Finding[] = [];
  const blurry = [...context.unreliable, ...model.opaque].map((s) => s.text.toLowerCase());
  const isBlurry = (name: string): boolean => blurry.some((text) => text.includes(name.toLowerCase()));
  const locate = (name: string): SourceRef | undefined => {
    const lower = name.toLowerCase();
    return context.statements.find((s) => s.text.toLowerCase().includes(lower));
  };
  const report = (at: SourceRef | undefined, object: string, message: string): void => {
    const where = at ?? context.statements[0];
    if (!where) return;
    findings.push({
      ruleId: `${RULE_PREFIX}model-mismatch`,
      severity: 'warning',
      gate: 'migration',
      file: where.file,
      line: where.line,
      column: where.column,
      endLine: where.line,
      endColumn: where.line === where.endLine ? Math.max(where.endColumn, where.column + 1) : where.column + 1,
      message,
      object,
    });
  };

  const exposed = new Set(context.exposedSchemas);
  const keys = new Set<string>();
  for (const t of catalog.tables.values()) if (t.exposed) keys.add(t.key);
  for (const t of model.tables.values()) if (exposed.has(t.schema)) keys.add(keyOf(t));

  for (const key of [...keys].sort()) {
    const db = catalog.tables.get(key);
    const lint = model.tables.get(key);
    const name = key.split('.').pop()!.replace(/"/g, '');
    if (isBlurry(name)) continue;
    if (!lint && db) {
      report(locate(name), key, `the database has table ${key} after the migrations but sql-lint's model does not: sql-lint missed the statement that creates it`);
      continue;
    }
    if (lint && !db) {
      report(lint.createdAt, key, `sql-lint's model has table ${key} but the database does not after the migrations: the model kept a table the history drops or renames`);
      continue;
    }
    if (!lint || !db) continue;
    if (lint.variant === 'foreign' || db.kind === 'foreign') continue;
    if (lint.rls !== db.rls) {
      report(lint.rlsChangedAt ?? lint.createdAt, key, `row level security on ${key}: the database says ${db.rls ? 'enabled' : 'disabled'}, sql-lint's model says ${lint.rls ? 'enabled' : 'disabled'}`);
    }
    const dbHasTenant = db.columns.some((c) => c.name === context.tenantColumn);
    if (lint.columnsKnown && lint.columns.has(context.tenantColumn) !== dbHasTenant) {
      report(lint.createdAt, key, `tenant column ${context.tenantColumn} on ${key}: the database says ${dbHasTenant ? 'present' : 'absent'}, sql-lint's model says ${dbHasTenant ? 'absent' : 'present'}`);
    }
    const dbPolicies = new Map(db.policies.map((p) => [p.name, p]));
    for (const [policyName, p] of lint.policies) {
      const other = dbPolicies.get(policyName);
      if (!other) {
        report(p.createdAt, key, `policy "${policyName}" on ${key} is in sql-lint's model but not in the database`);
        continue;
      }
      const differences: string[] = [];
      if (other.command !== p.command) differences.push(`command ${other.command} in the database, ${p.command} in the model`);
      if (other.permissive !== p.permissive) differences.push(`${other.permissive ? 'permissive' : 'restrictive'} in the database, ${p.permissive ? 'permissive' : 'restrictive'} in the model`);
      const dbRoles = [...other.roles].sort().join(', ');
      const lintRoles = [...new Set(p.roles)].sort().join(', ');
      if (dbRoles !== lintRoles) differences.push(`roles ${dbRoles} in the database, ${lintRoles} in the model`);
      if (differences.length > 0) report(p.changedAt, key, `policy "${policyName}" on ${key} differs: ${differences.join('; ')}`);
    }
    for (const p of db.policies) {
      if (!lint.policies.has(p.name)) {
        report(locate(p.name) ?? lint.createdAt, key, `policy "${p.name}" on ${key} is in the database but not in sql-lint's model`);
      }
    }
  }
  return findings;
}
