import { randomUUID } from 'node:crypto';
import type { VerifyDatabase } from './database.js';
import type { SchemaModel, SourceRef } from '@supagate/sql-lint';
import type { Finding } from '../findings.js';
import { RULE_PREFIX } from '../gates.js';
import type { Catalog, CatalogColumn, CatalogPolicy, CatalogTable, CatalogView, ForeignKey } from './catalog.js';

/**
 * The tenant-isolation probe: for each table with the tenant column and RLS, two clinics with one
 * row each; then, as an authenticated member of clinic A, try to read, change, delete clinic B's
 * row and insert one for clinic B. Everything happens in a transaction that is rolled back.
 */

export type Operation = 'SELECT' | 'UPDATE' | 'DELETE' | 'INSERT';
const OPERATIONS: Operation[] = ['SELECT', 'UPDATE', 'DELETE', 'INSERT'];

export interface ProbedTable {
  table: string;
  /** Operations a member of clinic A could perform on clinic B's rows. */
  leaks: Operation[];
  /** Operations proven blocked. */
  isolated: Operation[];
  /** Operations that failed for a reason other than RLS or privileges (no conclusion). */
  inconclusive: Array<{ operation: Operation; reason: string }>;
  /** Whether the member saw their own clinic's row (membership established as the policies read it). */
  ownRowVisible: boolean;
  /** Operations anyone could perform on clinic rows without signing in (the `anon` role). */
  anonLeaks: Operation[];
}

export interface SkippedTable {
  table: string;
  reason: string;
}

export interface Membership {
  /** Tables rows were inserted into to make user A a member of clinic A (`public.clinic_members`). */
  tables: string[];
  /** Membership tables the probe could not write user A into, with Postgres's reason. */
  failed: string[];
  /** JWT claim keys the policies read, set to clinic A in the claims (`clinic_id`). */
  claimKeys: string[];
  /** Whether the configured membership SQL ran. */
  customSql: boolean;
}

export interface ProbeOptions {
  tenantColumn: string;
  /** Schema-qualified tenant table (default `public.clinics`, else the tenant column's foreign key target). */
  tenantTable?: string;
  /**
   * SQL that makes a user a member of a clinic, for projects whose membership the probe cannot
   * detect; `:user_id` and `:clinic_id` are replaced by quoted literals. Runs as the superuser.
   */
  membershipSql?: string;
  model: SchemaModel;
  /** Where to report a finding about a table the model does not place. */
  locate: (table: string) => SourceRef | undefined;
}

export interface ProbeResult {
  findings: Finding[];
  probed: ProbedTable[];
  skipped: SkippedTable[];
  membership: Membership;
}

const STANDARD_CLAIMS = new Set(['sub', 'role', 'email', 'phone', 'aud', 'exp', 'iat', 'iss', 'app_metadata', 'user_metadata', 'session_id', 'aal', 'amr', 'is_anonymous']);
const USER_COLUMN = /^(user_id|member_id|profile_id|auth_user_id|usuario_id|user_uuid)$/;
// A member's role: `role`, `roles user_role[]`, `papel`, `perfis`…
const ROLE_COLUMN = /(^|_)(roles?|papel|pap[eé]is|perfil|perfis|cargos?|funcao|funcoes)$/;
const ADMIN_LABEL = /admin|owner|dono|gestor|manager/i;

/** Why a table could not be given rows: the probe skips it with this reason. */
class Unfillable extends Error {}

export async function probeTenantIsolation(db: VerifyDatabase, catalog: Catalog, options: ProbeOptions): Promise<ProbeResult> {
  const result: ProbeResult = { findings: [], probed: [], skipped: [], membership: { tables: [], failed: [], claimKeys: [], customSql: false } };
  const col = options.tenantColumn;
  const candidates = [...catalog.tables.values()].filter((t) => t.exposed && t.columns.some((c) => c.name === col)).sort((a, b) => cmp(a.key, b.key));
  const toProbe: CatalogTable[] = [];
  for (const t of candidates) {
    if (t.kind === 'foreign') skip(result, options, t, 'foreign table: Postgres cannot enforce row level security on it');
    else if (t.isPartition) skip(result, options, t, 'partition: queried through its partitioned parent, which is probed');
    else if (!t.rls) skip(result, options, t, 'row level security is disabled, so every row is visible to every client with a grant (require-rls reports it); nothing to probe');
    else toProbe.push(t);
  }
  if (toProbe.length === 0) return result;

  const tenant = findTenantTable(catalog, options, candidates);
  const tenantType = tenant?.column ?? candidates[0].columns.find((c) => c.name === col)!;
  const clinicA = tenantValue(tenantType, 'a');
  const clinicB = tenantValue(tenantType, 'b');
  const userA = randomUUID();

  const policyTexts = [...catalog.tables.values()].flatMap((t) => t.policies.flatMap((p) => [p.using ?? '', p.withCheck ?? '']));
  const helperBodies = referencedFunctionBodies(catalog, policyTexts);
  const texts = [...policyTexts, ...helperBodies];
  const claimKeys = detectClaimKeys(texts);
  const membershipTables = detectMembershipTables(catalog, texts, col);
  result.membership = { tables: [], failed: [], claimKeys, customSql: Boolean(options.membershipSql) };

  const metadata: Record<string, string> = Object.fromEntries([...new Set([col, ...claimKeys])].map((k) => [k, literalValue(clinicA)]));
  const claims = {
    sub: userA,
    role: 'authenticated',
    aud: 'authenticated',
    email: 'member-a@probe.supagate.test',
    is_anonymous: false,
    app_metadata: { provider: 'email', providers: ['email'], ...metadata },
    user_metadata: { ...metadata },
    ...metadata,
  };
  const claimsSql = `set local request.jwt.claims = ${quote(JSON.stringify(claims))}; set local request.jwt.claim.sub = ${quote(userA)}; set local request.jwt.claim.role = 'authenticated'`;

  const filler = new Filler(catalog, col, tenant);
  let tenantRowB: InsertedRow | undefined;
  await db.exec('begin');
  try {
    // Clinics, user A and A's membership, as the superuser; kept for every table's probe.
    try {
      await db.exec(
        `insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, email_confirmed_at)
         values (${quote(userA)}, 'authenticated', 'authenticated', 'member-a@probe.supagate.test', ${quote(JSON.stringify(claims.app_metadata))}::jsonb, ${quote(JSON.stringify(claims.user_metadata))}::jsonb, now())`,
      );
      filler.users.a = userA;
      if (tenant) {
        await filler.insertRow(db, tenant.table, { [tenant.column.name]: clinicA.sql }, 'setup', 'a');
        tenantRowB = await filler.insertRow(db, tenant.table, { [tenant.column.name]: clinicB.sql }, 'setup', 'b');
      }
      for (const m of membershipTables) {
        const fixed: Record<string, string> = { [m.userColumn]: quote(userA), [col]: clinicA.sql };
        for (const c of m.table.columns) {
          if (!ROLE_COLUMN.test(c.name) || c.name in fixed) continue;
          // The strongest role the schema names, so policies that also check the role let the member in.
          const admin = [...allowedValues(m.table, c), ...c.enumLabels, ...c.elementLabels].find((v) => ADMIN_LABEL.test(v));
          if (admin) fixed[c.name] = c.category === 'A' ? `array[${quote(admin)}]::${c.type}` : `${quote(admin)}::${c.type}`;
        }
        // One membership table the probe cannot fill (a trigger, a constraint) must not stop the others.
        await db.exec('savepoint supagate_member');
        try {
          await filler.upsertMember(db, m.table, m.userColumn, fixed);
          await db.exec('release savepoint supagate_member');
          result.membership.tables.push(m.table.key);
        } catch (error) {
          await db.exec('rollback to savepoint supagate_member; release savepoint supagate_member');
          result.membership.failed.push(`${m.table.key} (${describeError(error)})`);
        }
      }
      if (options.membershipSql) {
        await db.exec(options.membershipSql.replace(/:user_id\b/g, quote(userA)).replace(/:clinic_id\b/g, clinicA.sql));
      }
    } catch (error) {
      const reason = `the probe could not create two clinics and a member (${describeError(error)})`;
      for (const t of toProbe) skip(result, options, t, reason);
      return result;
    }

    for (const [index, table] of toProbe.entries()) {
      await db.exec('savepoint supagate_table');
      try {
        const probed = await probeTable(db, table, { index, clinicA, clinicB, claimsSql, filler, options, result });
        if (probed) result.probed.push(probed);
      } catch (error) {
        skip(result, options, table, error instanceof Unfillable ? error.message : `the probe failed (${describeError(error)})`);
      } finally {
        await db.exec('rollback to savepoint supagate_table; release savepoint supagate_table');
      }
    }
    if (tenant && tenantRowB && tenant.table.exposed && !toProbe.includes(tenant.table)) {
      if (!tenant.table.rls) {
        skip(result, options, tenant.table, 'row level security is disabled on the tenant table, so every client with a grant sees every clinic (require-rls reports it); nothing to probe');
      } else {
        const context = { index: toProbe.length, clinicA, clinicB, claimsSql, filler, options, result };
        await db.exec('savepoint supagate_table');
        try {
          const probed = await probeTenantTable(db, tenant, tenantRowB, context);
          if (probed) result.probed.push(probed);
        } catch (error) {
          skip(result, options, tenant.table, error instanceof Unfillable ? error.message : `the probe failed (${describeError(error)})`);
        } finally {
          await db.exec('rollback to savepoint supagate_table; release savepoint supagate_table');
        }
      }
    }
    for (const [index, view] of catalog.views.filter((v) => v.columns.includes(col)).entries()) {
      const context = { index: toProbe.length + 1 + index, clinicA, clinicB, claimsSql, filler, options, result };
      await db.exec('savepoint supagate_table');
      try {
        result.probed.push(await probeView(db, view, catalog, context));
      } catch (error) {
        skip(result, options, view, error instanceof Unfillable ? error.message : `the probe failed (${describeError(error)})`);
      } finally {
        await db.exec('rollback to savepoint supagate_table; release savepoint supagate_table');
      }
    }
  } finally {
    await db.exec('rollback');
  }
  result.probed.sort((a, b) => cmp(a.table, b.table));
  return result;
}

interface TableContext {
  index: number;
  clinicA: Value;
  clinicB: Value;
  claimsSql: string;
  filler: Filler;
  options: ProbeOptions;
  result: ProbeResult;
}

/** What one probe works on: clinic B's row of a table, and how to reach it. */
interface ProbeTarget {
  table: CatalogTable;
  /** Column holding the clinic: the tenant column, or the tenant table's key. */
  column: string;
  rowB: InsertedRow;
  /** Values of a new row for clinic B (INSERT is not probed without them). */
  insertValues?: Record<string, string>;
  /** `SET` clause that reads no column (reading one would add the SELECT policies to the UPDATE). */
  set: string;
}

const ANON_CLAIMS = `set local request.jwt.claims = '{"role":"anon"}'; set local request.jwt.claim.role = 'anon'`;

async function probeTable(db: VerifyDatabase, table: CatalogTable, ctx: TableContext): Promise<ProbedTable | undefined> {
  const col = ctx.options.tenantColumn;
  const tag = `t${ctx.index}`;
  let rowB: InsertedRow;
  try {
    await ctx.filler.insertRow(db, table, { [col]: ctx.clinicA.sql }, tag, 'a');
    rowB = await ctx.filler.insertRow(db, table, { [col]: ctx.clinicB.sql }, tag, 'b');
  } catch (error) {
    throw new Unfillable(error instanceof Unfillable ? error.message : `could not insert a row for each clinic as the superuser (${describeError(error)})`);
  }
  const insertValues = await ctx.filler.rowValues(db, table, { [col]: ctx.clinicB.sql }, `${tag}i`, 'b', { reuse: rowB.values, userA: true });
  return probeTarget(db, { table, column: col, rowB, insertValues, set: `${ident(col)} = ${ctx.clinicB.sql}` }, ctx);
}

/**
 * The tenant table itself (`public.clinics`): can a member read, change or delete another
 * clinic? INSERT is not probed: creating a new clinic is how a tenant signs up.
 */
async function probeTenantTable(db: VerifyDatabase, tenant: TenantTable, rowB: InsertedRow, ctx: TableContext): Promise<ProbedTable | undefined> {
  const { table, column } = tenant;
  const other = table.columns.find((c) => c.name !== column.name && !c.generated && !c.identity && rowB.values[c.name] !== undefined);
  if (!other) throw new Unfillable(`${table.key} has no column besides ${column.name} for the UPDATE probe`);
  return probeTarget(db, { table, column: column.name, rowB, set: `${ident(other.name)} = ${literal(rowB.values[other.name], other)}` }, ctx);
}

async function probeTarget(db: VerifyDatabase, target: ProbeTarget, ctx: TableContext): Promise<ProbedTable> {
  const { table, rowB } = target;
  const ref = tableRef(table);
  const key = ident(target.column);
  const asMember = `set local role authenticated; ${ctx.claimsSql}`;
  const asAnon = `set local role anon; ${ANON_CLAIMS}`;
  const out: ProbedTable = { table: table.key, leaks: [], isolated: [], inconclusive: [], ownRowVisible: false, anonLeaks: [] };

  const own = await attempt(db, asMember, `select count(*)::int as n from ${ref} where ${key} = ${ctx.clinicA.sql}`);
  out.ownRowVisible = own.ok && Number(own.rows[0]?.n ?? 0) > 0;

  const statements: Partial<Record<Operation, { sql: string; check?: string }>> = {
    SELECT: { sql: `select count(*)::int as n from ${ref} where ${key} = ${ctx.clinicB.sql}` },
    // No WHERE and no column read: only the UPDATE/DELETE policies decide which rows are reached.
    UPDATE: { sql: `update ${ref} set ${target.set}`, check: rowB.ctid },
    DELETE: { sql: `delete from ${ref}`, check: rowB.ctid },
    ...(target.insertValues
      ? { INSERT: { sql: `insert into ${ref} (${Object.keys(target.insertValues).map(ident).join(', ')}) values (${Object.values(target.insertValues).join(', ')})` } }
      : {}),
  };
  // A BEFORE INSERT trigger may rewrite the tenant column (`new.clinic_id := current_clinic_id()`):
  // the INSERT leaks only if clinic B really has one row more afterwards.
  const countB = `select count(*)::int as n from ${ref} where ${key} = ${ctx.clinicB.sql}`;
  const rowsOfB = Number((await db.query<{ n: number }>(countB)).rows[0]?.n ?? 0);
  const run = async (setup: string, op: Operation): Promise<'leak' | 'isolated' | { reason: string }> => {
    const { sql, check } = statements[op]!;
    const after = op === 'INSERT' ? `reset role; ${countB}` : check ? `reset role; select count(*)::int as n from ${ref} where ctid = ${quote(check)}::tid` : undefined;
    const r = await attempt(db, setup, sql, after);
    if (!r.ok) return r.code === '42501' ? 'isolated' : { reason: r.message };
    const leaked =
      op === 'SELECT' ? Number(r.rows[0]?.n ?? 0) > 0 : op === 'INSERT' ? Number(r.checkRows[0]?.n ?? 0) > rowsOfB : Number(r.checkRows[0]?.n ?? 1) === 0;
    return leaked ? 'leak' : 'isolated';
  };
  const operations = OPERATIONS.filter((op) => statements[op]);
  for (const op of operations) {
    const verdict = await run(asMember, op);
    if (verdict === 'leak') out.leaks.push(op);
    else if (verdict === 'isolated') out.isolated.push(op);
    else out.inconclusive.push({ operation: op, reason: verdict.reason });
  }
  // Without signing in: a leak here is worse than a member's, so it is reported even when the member's is too.
  for (const op of operations) {
    if ((await run(asAnon, op)) === 'leak') out.anonLeaks.push(op);
  }

  for (const op of out.leaks) {
    const policies = await allowingPolicies(db, table, op, rowB.ctid, ctx.claimsSql, 'authenticated');
    ctx.result.findings.push(leakFinding(table, op, policies, ctx.options, 'member'));
  }
  for (const op of out.anonLeaks) {
    const policies = await allowingPolicies(db, table, op, rowB.ctid, ANON_CLAIMS, 'anon');
    ctx.result.findings.push(leakFinding(table, op, policies, ctx.options, 'anon'));
  }
  const readPolicies = applicablePolicies(table, 'SELECT', 'authenticated');
  if (!out.ownRowVisible && readPolicies.length > 0) {
    ctx.result.findings.push(
      tableFinding(
        table,
        ctx.options,
        'probe-skipped',
        `${table.key} was only partly probed: the member of clinic A could not read clinic A's own row, so membership as the policies read it was not established (detected membership: ${describeMembership(ctx.result.membership)}); leaks that need a member may be missed — configure the membership SQL`,
      ),
    );
  }
  for (const { operation, reason } of out.inconclusive) {
    ctx.result.findings.push(
      tableFinding(table, ctx.options, 'probe-skipped', `${table.key}: the ${operation} probe was inconclusive: the statement failed for a reason other than row level security (${reason})`),
    );
  }
  return out;
}

/**
 * A view with the tenant column: rows for both clinics go into the tables it reads, then the
 * member (and anon) select clinic B's rows through it. A view without `security_invoker` runs
 * with its owner's rights, so the tables' RLS does not stop it.
 */
async function probeView(db: VerifyDatabase, view: CatalogView, catalog: Catalog, ctx: TableContext): Promise<ProbedTable> {
  const col = ctx.options.tenantColumn;
  const bases = view.reads.map((key) => catalog.tables.get(key)).filter((t): t is CatalogTable => t !== undefined && t.columns.some((c) => c.name === col));
  if (bases.length === 0) throw new Unfillable(`view reads no table with the ${col} column the probe could fill`);
  for (const [i, base] of bases.entries()) {
    try {
      await ctx.filler.insertRow(db, base, { [col]: ctx.clinicA.sql }, `v${ctx.index}_${i}`, 'a');
      await ctx.filler.insertRow(db, base, { [col]: ctx.clinicB.sql }, `v${ctx.index}_${i}`, 'b');
    } catch (error) {
      throw new Unfillable(error instanceof Unfillable ? error.message : `could not insert a row for each clinic into ${base.key} as the superuser (${describeError(error)})`);
    }
  }
  const ref = `${ident(view.schema)}.${ident(view.name)}`;
  if (view.materialized) await db.exec(`refresh materialized view ${ref}`);
  const count = (clinic: Value): string => `select count(*)::int as n from ${ref} where ${ident(col)} = ${clinic.sql}`;
  const asMember = `set local role authenticated; ${ctx.claimsSql}`;
  const asAnon = `set local role anon; ${ANON_CLAIMS}`;
  const out: ProbedTable = { table: view.key, leaks: [], isolated: [], inconclusive: [], ownRowVisible: false, anonLeaks: [] };
  const own = await attempt(db, asMember, count(ctx.clinicA));
  out.ownRowVisible = own.ok && Number(own.rows[0]?.n ?? 0) > 0;
  const member = await attempt(db, asMember, count(ctx.clinicB));
  if (!member.ok && member.code !== '42501') out.inconclusive.push({ operation: 'SELECT', reason: member.message });
  else if (member.ok && Number(member.rows[0]?.n ?? 0) > 0) out.leaks.push('SELECT');
  else out.isolated.push('SELECT');
  const anon = await attempt(db, asAnon, count(ctx.clinicB));
  if (anon.ok && Number(anon.rows[0]?.n ?? 0) > 0) out.anonLeaks.push('SELECT');

  const modelView = ctx.options.model.views.get(view.key);
  const at = modelView?.changedAt ?? modelView?.createdAt ?? ctx.options.locate(view.name);
  const why = view.materialized
    ? 'a materialized view has no row level security: its grants alone decide'
    : view.securityInvoker
      ? `the policies of ${bases.map((b) => b.key).join(', ')} allow it`
      : `the view runs with its owner's rights (no security_invoker), so the row level security of ${bases.map((b) => b.key).join(', ')} does not apply — create it with (security_invoker = true)`;
  const leak = (who: string, what: string): Finding => ({
    ...locationOf(at),
    ruleId: `${RULE_PREFIX}tenant-leak`,
    severity: 'error',
    gate: 'tenant-isolation',
    message: `tenant leak: ${who} can SELECT ${what} through the view ${view.key} — ${why}. Proven by the probe on the replayed migrations`,
    object: view.key,
  });
  if (out.leaks.length > 0) ctx.result.findings.push(leak('a member of one clinic', "another clinic's rows"));
  if (out.anonLeaks.length > 0) ctx.result.findings.push(leak('anyone, without signing in (role anon),', 'clinic rows'));
  for (const { operation, reason } of out.inconclusive) {
    ctx.result.findings.push(
      tableFinding(view, ctx.options, 'probe-skipped', `${view.key}: the ${operation} probe of the view was inconclusive: the statement failed for a reason other than row level security (${reason})`),
    );
  }
  return out;
}

interface Attempt {
  ok: boolean;
  rows: Array<Record<string, unknown>>;
  checkRows: Array<Record<string, unknown>>;
  code?: string;
  message: string;
}

/** Runs `sql` after `setup` in a savepoint that is always rolled back; `check` runs after it, in the same savepoint. */
async function attempt(db: VerifyDatabase, setup: string, sql: string, check?: string): Promise<Attempt> {
  await db.exec(`savepoint supagate_op; ${setup}`);
  try {
    const r = await db.query<Record<string, unknown>>(sql);
    let checkRows: Array<Record<string, unknown>> = [];
    if (check) {
      const results = await db.exec(check);
      checkRows = (results.at(-1)?.rows ?? []) as Array<Record<string, unknown>>;
    }
    return { ok: true, rows: r.rows, checkRows, message: '' };
  } catch (error) {
    const e = error as { code?: string };
    return { ok: false, rows: [], checkRows: [], code: e.code, message: describeError(error) };
  } finally {
    await db.exec('rollback to savepoint supagate_op; release savepoint supagate_op');
  }
}

/** Permissive policies for the operation that apply to the role. */
function applicablePolicies(table: CatalogTable, op: Operation, role: 'authenticated' | 'anon'): CatalogPolicy[] {
  const command = op.toLowerCase();
  return table.policies.filter((p) => p.permissive && (p.command === 'all' || p.command === command) && (p.roles.includes(role) || p.roles.includes('public')));
}

/** The permissive policies whose expression lets clinic B's row through for the member of A. */
async function allowingPolicies(
  db: VerifyDatabase,
  table: CatalogTable,
  op: Operation,
  ctid: string,
  claimsSql: string,
  role: 'authenticated' | 'anon',
): Promise<CatalogPolicy[]> {
  const candidates = applicablePolicies(table, op, role);
  const allowing: CatalogPolicy[] = [];
  for (const p of candidates) {
    const using = p.using ? `(${p.using})` : null;
    const check = p.withCheck ? `(${p.withCheck})` : null;
    const expr =
      op === 'INSERT' ? (check ?? using ?? 'true') : op === 'UPDATE' ? `coalesce(${using ?? 'true'}, false) and coalesce(${check ?? using ?? 'true'}, false)` : (using ?? 'true');
    const r = await attempt(db, claimsSql, `select coalesce((${expr}), false) as ok from ${tableRef(table)} where ctid = ${quote(ctid)}::tid`);
    if (r.ok && r.rows[0]?.ok === true) allowing.push(p);
  }
  return allowing.length > 0 ? allowing : candidates;
}

function leakFinding(table: CatalogTable, op: Operation, policies: CatalogPolicy[], options: ProbeOptions, actor: 'member' | 'anon'): Finding {
  const modelTable = options.model.tables.get(table.key);
  const first = policies[0];
  const at = (first && modelTable?.policies.get(first.name)?.createdAt) ?? modelTable?.createdAt ?? options.locate(table.name);
  const what =
    actor === 'anon'
      ? op === 'INSERT'
        ? `INSERT clinic rows into ${table.key}`
        : `${op} clinic rows of ${table.key}`
      : op === 'INSERT'
        ? `INSERT a row for another clinic into ${table.key}`
        : `${op} another clinic's rows of ${table.key}`;
  const who = actor === 'anon' ? 'anyone, without signing in (role anon),' : 'a member of one clinic';
  const by =
    policies.length === 0
      ? `no permissive policy for it names ${actor === 'anon' ? 'anon' : 'authenticated'} — check grants and table ownership`
      : `${policies.length === 1 ? 'policy' : 'policies'} ${policies.map((p) => `"${p.name}" (${p.command === 'all' ? 'for all' : `for ${p.command}`}${describeExpr(p, op)})`).join(', ')} ${policies.length === 1 ? 'allows' : 'allow'} it`;
  return {
    ...locationOf(at),
    ruleId: `${RULE_PREFIX}tenant-leak`,
    severity: 'error',
    gate: 'tenant-isolation',
    message: `tenant leak: ${who} can ${what} — ${by}. Proven by the probe on the replayed migrations`,
    object: table.key,
  };
}

function describeExpr(p: CatalogPolicy, op: Operation): string {
  const expr = op === 'INSERT' ? (p.withCheck ?? p.using) : p.using;
  if (!expr) return '';
  const short = expr.length > 80 ? `${expr.slice(0, 77)}…` : expr;
  return `, ${op === 'INSERT' ? 'WITH CHECK' : 'USING'} ${short}`;
}

/** A table or a view, as findings name and place it. */
type Relation = Pick<CatalogTable, 'key' | 'name'>;

function skip(result: ProbeResult, options: ProbeOptions, relation: Relation, reason: string): void {
  result.skipped.push({ table: relation.key, reason });
  result.findings.push(tableFinding(relation, options, 'probe-skipped', `${relation.key} was not probed for tenant isolation: ${reason}`));
}

/** An info finding at the statement that created the table or view. */
function tableFinding(relation: Relation, options: ProbeOptions, rule: string, message: string): Finding {
  const at = options.model.tables.get(relation.key)?.createdAt ?? options.model.views.get(relation.key)?.createdAt ?? options.locate(relation.name);
  return { ...locationOf(at), ruleId: `${RULE_PREFIX}${rule}`, severity: 'info', gate: 'tenant-isolation', message, object: relation.key };
}

function locationOf(at: SourceRef | undefined): Pick<Finding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'> {
  if (!at) return { file: 'supabase/migrations', line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { file: at.file, line: at.line, column: at.column, endLine: at.line, endColumn: at.line === at.endLine ? Math.max(at.endColumn, at.column + 1) : at.column + 1 };
}

function describeMembership(m: Membership): string {
  const parts = [
    ...(m.tables.length > 0 ? [`rows in ${m.tables.join(', ')}`] : []),
    ...(m.claimKeys.length > 0 ? [`JWT claims ${m.claimKeys.join(', ')}`] : []),
    ...(m.customSql ? ['the configured SQL'] : []),
    ...(m.failed.length > 0 ? [`not written: ${m.failed.join(', ')}`] : []),
  ];
  return parts.length > 0 ? parts.join('; ') : 'none';
}

// ——— membership detection ———

/** Bodies of functions the policies call, and of the functions those call (helpers like is_clinic_member). */
function referencedFunctionBodies(catalog: Catalog, policyTexts: string[]): string[] {
  const seen = new Set<number>();
  const bodies: string[] = [];
  let frontier = policyTexts;
  while (frontier.length > 0) {
    const next: string[] = [];
    catalog.functions.forEach((f, i) => {
      if (seen.has(i)) return;
      const pattern = new RegExp(`(^|[^\\w$])"?${escapeRegExp(f.name)}"?\\s*\\(`, 'i');
      if (frontier.some((t) => pattern.test(t))) {
        seen.add(i);
        bodies.push(f.body);
        next.push(f.body);
      }
    });
    frontier = next;
  }
  return bodies;
}

/** JWT claim keys read by policies and helpers (`auth.jwt() -> 'app_metadata' ->> 'clinic_id'`), other than the standard ones. */
function detectClaimKeys(texts: string[]): string[] {
  const keys = new Set<string>();
  for (const text of texts) {
    if (!/jwt\s*\(|request\.jwt/i.test(text)) continue;
    for (const m of text.matchAll(/->>?\s*'([^']+)'/g)) {
      if (!STANDARD_CLAIMS.has(m[1])) keys.add(m[1]);
    }
  }
  return [...keys].sort();
}

interface MembershipTable {
  table: CatalogTable;
  userColumn: string;
}

/** Tables with the tenant column and a user column (a foreign key to auth.users, or `user_id`) that policies or their helpers read. */
function detectMembershipTables(catalog: Catalog, texts: string[], tenantColumn: string): MembershipTable[] {
  const found: MembershipTable[] = [];
  for (const t of catalog.tables.values()) {
    if (t.schema === 'auth' || t.schema === 'storage' || !t.columns.some((c) => c.name === tenantColumn)) continue;
    // The user column is required (a membership row always names its user): `updated_by` is not one.
    const required = (name: string): boolean => t.columns.some((c) => c.name === name && c.notNull);
    const fkUser = t.foreignKeys.find((fk) => fk.target === 'auth.users' && fk.columns.length === 1 && fk.columns[0] !== tenantColumn && required(fk.columns[0]));
    const userColumn = fkUser?.columns[0] ?? t.columns.find((c) => USER_COLUMN.test(c.name) && c.notNull)?.name;
    if (!userColumn) continue;
    const pattern = new RegExp(`(^|[^\\w$])"?${escapeRegExp(t.name)}"?([^\\w$]|$)`, 'i');
    if (texts.some((text) => pattern.test(text))) found.push({ table: t, userColumn });
  }
  return found.sort((a, b) => cmp(a.table.key, b.table.key));
}

// ——— rows ———

interface Value {
  /** SQL literal. */
  sql: string;
  raw: string | number;
}

function tenantValue(column: CatalogColumn, which: 'a' | 'b'): Value {
  if (column.baseType === 'uuid') {
    const v = randomUUID();
    return { sql: `${quote(v)}::uuid`, raw: v };
  }
  if (column.category === 'N') {
    const v = which === 'a' ? 900001 : 900002;
    return { sql: `${v}::${column.type}`, raw: v };
  }
  const v = `probe-clinic-${which}`;
  return { sql: `${quote(v)}::${column.type}`, raw: v };
}

function literalValue(v: Value): string {
  return String(v.raw);
}

interface TenantTable {
  table: CatalogTable;
  column: CatalogColumn;
}

function findTenantTable(catalog: Catalog, options: ProbeOptions, candidates: CatalogTable[]): TenantTable | undefined {
  const col = options.tenantColumn;
  const keyName = options.tenantTable ?? 'public.clinics';
  let targetKey: string | undefined = catalog.tables.has(keyName) ? keyName : undefined;
  let targetColumn: string | undefined;
  for (const t of candidates) {
    const fk = t.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === col);
    if (fk && (!targetKey || fk.target === targetKey)) {
      targetKey = fk.target;
      targetColumn = fk.targetColumns[0];
      break;
    }
  }
  if (!targetKey) return undefined;
  const table = catalog.tables.get(targetKey)!;
  const name = targetColumn ?? (table.primaryKey.length === 1 ? table.primaryKey[0] : 'id');
  const column = table.columns.find((c) => c.name === name);
  return column ? { table, column } : undefined;
}

interface InsertedRow {
  ctid: string;
  values: Record<string, unknown>;
}

/** Fills the required columns of a row by type, creating parent rows for foreign keys (as the superuser). */
class Filler {
  users: { a?: string } = {};
  private counter = 0;
  constructor(
    private readonly catalog: Catalog,
    private readonly tenantColumn: string,
    private readonly tenant: TenantTable | undefined,
  ) {}

  async insertRow(db: VerifyDatabase, table: CatalogTable, fixed: Record<string, string>, tag: string, clinic: 'a' | 'b', depth = 0): Promise<InsertedRow> {
    const values = await this.rowValues(db, table, fixed, tag, clinic, { depth });
    const cols = Object.keys(values);
    const sql =
      cols.length > 0
        ? `insert into ${tableRef(table)} as t (${cols.map(ident).join(', ')}) values (${Object.values(values).join(', ')}) returning ctid::text as ctid, to_jsonb(t.*) as row`
        : `insert into ${tableRef(table)} as t default values returning ctid::text as ctid, to_jsonb(t.*) as row`;
    const r = await db.query<{ ctid: string; row: Record<string, unknown> }>(sql);
    return { ctid: r.rows[0].ctid, values: r.rows[0].row };
  }

  /**
   * Makes user A a member through `table`: a trigger on auth.users (`handle_new_user`) may have
   * created the user's row already, and a second one would break its unique key, so that row
   * is updated instead.
   */
  async upsertMember(db: VerifyDatabase, table: CatalogTable, userColumn: string, fixed: Record<string, string>): Promise<void> {
    const existing = await db.query<{ ctid: string }>(`select ctid::text as ctid from ${tableRef(table)} where ${ident(userColumn)} = ${fixed[userColumn]} limit 1`);
    const ctid = existing.rows[0]?.ctid;
    if (!ctid) {
      await this.insertRow(db, table, fixed, 'setup', 'a');
      return;
    }
    const set = Object.entries(fixed).filter(([c]) => c !== userColumn);
    if (set.length > 0) await db.exec(`update ${tableRef(table)} set ${set.map(([c, v]) => `${ident(c)} = ${v}`).join(', ')} where ctid = ${quote(ctid)}::tid`);
  }

  /** A parent row for a foreign key whose columns are already chosen (user A's profile), unless it exists. */
  private async ensureParent(db: VerifyDatabase, fk: ForeignKey, values: Record<string, string>, tag: string, clinic: 'a' | 'b', depth: number): Promise<void> {
    const parent = this.catalog.tables.get(fk.target);
    if (!parent || depth >= 5 || fk.targetColumns.length !== fk.columns.length) return;
    const match = fk.columns.map((c, i) => `${ident(fk.targetColumns[i])} = ${values[c]}`).join(' and ');
    const found = await db.query(`select 1 from ${tableRef(parent)} where ${match} limit 1`);
    if (found.rows.length > 0) return;
    const fixed = Object.fromEntries(fk.columns.map((c, i) => [fk.targetColumns[i], values[c]]));
    if (parent.columns.some((c) => c.name === this.tenantColumn) && values[this.tenantColumn] && !(this.tenantColumn in fixed)) fixed[this.tenantColumn] = values[this.tenantColumn];
    await this.insertRow(db, parent, fixed, `${tag}e${depth}`, clinic, depth + 1);
  }

  async rowValues(
    db: VerifyDatabase,
    table: CatalogTable,
    fixed: Record<string, string>,
    tag: string,
    clinic: 'a' | 'b',
    options: { reuse?: Record<string, unknown>; userA?: boolean; depth?: number } = {},
  ): Promise<Record<string, string>> {
    const depth = options.depth ?? 0;
    const values: Record<string, string> = { ...fixed };
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    for (const fk of table.foreignKeys) {
      const required = fk.columns.some((c) => byName.get(c)?.notNull && !byName.get(c)?.hasDefault);
      if (fk.columns.every((c) => c in values)) {
        const own = fk.target === 'auth.users' || (this.tenant && fk.target === this.tenant.table.key);
        if (!own && fk.columns.every((c) => values[c] !== 'null')) await this.ensureParent(db, fk, values, tag, clinic, depth);
        continue;
      }
      if (!required) continue;
      if (fk.target === 'auth.users') {
        const id = options.userA && this.users.a ? this.users.a : await this.createUser(db);
        values[fk.columns[0]] = `${quote(id)}::uuid`;
        continue;
      }
      if (this.tenant && fk.target === this.tenant.table.key && fk.columns.length === 1 && fk.columns[0] === this.tenantColumn) continue;
      const reuse = options.reuse;
      if (reuse && fk.columns.every((c) => reuse[c] !== undefined && reuse[c] !== null)) {
        for (const c of fk.columns) values[c] = literal(reuse[c], byName.get(c)!);
        continue;
      }
      const parent = this.catalog.tables.get(fk.target);
      if (!parent) throw new Unfillable(`column ${fk.columns.join(', ')} references ${fk.target}, which the probe cannot see`);
      if (depth >= 5 || parent.key === table.key) throw new Unfillable(`column ${fk.columns.join(', ')} needs a row of ${fk.target} the probe cannot create (too deep or self-referencing)`);
      const parentFixed: Record<string, string> = {};
      if (parent.columns.some((c) => c.name === this.tenantColumn) && values[this.tenantColumn]) parentFixed[this.tenantColumn] = values[this.tenantColumn];
      let row: InsertedRow;
      try {
        row = await this.insertRow(db, parent, parentFixed, `${tag}p${depth}`, clinic, depth + 1);
      } catch (error) {
        if (error instanceof Unfillable) throw error;
        throw new Unfillable(`could not create a parent row in ${fk.target} for ${fk.columns.join(', ')} (${describeError(error)})`);
      }
      fk.columns.forEach((c, i) => {
        if (!(c in values)) values[c] = literal(row.values[fk.targetColumns[i]], byName.get(c)!);
      });
    }
    table.columns.forEach((c, ordinal) => {
      if (c.name in values || c.identity || c.generated || c.hasDefault || !c.notNull) return;
      values[c.name] = this.fill(table, c, ordinal, tag);
    });
    return values;
  }

  private async createUser(db: VerifyDatabase): Promise<string> {
    const id = randomUUID();
    await db.query(`insert into auth.users (id, aud, role, email) values ($1, 'authenticated', 'authenticated', $2)`, [id, `user-${id.slice(0, 8)}@probe.supagate.test`]);
    return id;
  }

  /** A value of the column's type that satisfies the usual constraints (lists of allowed values, increasing times). */
  private fill(table: CatalogTable, c: CatalogColumn, ordinal: number, tag: string): string {
    const n = ++this.counter;
    const allowed = allowedValues(table, c);
    if (allowed.length > 0) return `${quote(allowed[0])}::${c.type}`;
    if (c.enumLabels.length > 0) return `${quote(c.enumLabels[0])}::${c.type}`;
    const cast = (v: string): string => `${v}::${c.type}`;
    switch (c.baseType) {
      case 'uuid':
        return cast(quote(randomUUID()));
      case 'bool':
        return 'true';
      case 'date':
        return `(current_date + ${ordinal})::${c.type}`;
      case 'timestamptz':
      case 'timestamp':
        // Seconds ahead: later than now (views of upcoming rows) and, but for the last minute
        // before midnight, still today (views of today's rows), increasing with the column.
        return `(now() + interval '${ordinal} seconds')::${c.type}`;
      case 'time':
      case 'timetz':
        return `(time '08:00' + interval '${ordinal} minutes')::${c.type}`;
      case 'interval':
        return cast(quote(`${ordinal + 1} hours`));
      case 'json':
      case 'jsonb':
        return cast(quote('{}'));
      case 'bytea':
        return cast(quote('\\x00'));
      case 'inet':
      case 'cidr':
        return cast(quote('127.0.0.1'));
      case 'tsvector':
        return cast(quote(''));
    }
    if (c.category === 'A') return c.elementLabels.length > 0 ? `array[${quote(c.elementLabels[0])}]::${c.type}` : cast(quote('{}'));
    if (c.category === 'N') return cast(String(withinBounds(n, numericBounds(table, c))));
    if (c.category === 'S') {
      const length = Number(/\((\d+)\)/.exec(c.type)?.[1] ?? 0);
      const text = `probe-${tag}-${n}`;
      return cast(quote(length > 0 ? text.slice(-length) : text));
    }
    throw new Unfillable(`required column ${c.name} has type ${c.type}, which the probe cannot fill`);
  }
}

/**
 * Bounds CHECK constraints put on a numeric column (`weekday between 0 and 6` is stored as
 * `((weekday >= 0) AND (weekday <= 6))`); only integer bounds are read.
 */
function numericBounds(table: CatalogTable, c: CatalogColumn): { min?: number; max?: number } {
  const col = `"?${escapeRegExp(c.name)}"?`;
  const bounds: { min?: number; max?: number } = {};
  const number = String.raw`\(?(-?\d+)(?:\.0+)?\)?(?:::\w+)?`;
  const tighten = (op: string, value: number): void => {
    if (op === '>=' || op === '>') bounds.min = Math.max(bounds.min ?? -Infinity, op === '>' ? value + 1 : value);
    else bounds.max = Math.min(bounds.max ?? Infinity, op === '<' ? value - 1 : value);
  };
  const flip: Record<string, string> = { '>=': '<=', '>': '<', '<=': '>=', '<': '>' };
  for (const check of table.checks) {
    for (const m of check.matchAll(new RegExp(String.raw`(?:^|[^\w$])${col}\s*(>=|>|<=|<)\s*${number}`, 'g'))) tighten(m[1], Number(m[2]));
    for (const m of check.matchAll(new RegExp(String.raw`${number}\s*(>=|>|<=|<)\s*${col}(?![\w$])`, 'g'))) tighten(flip[m[2]], Number(m[1]));
  }
  return bounds;
}

/** `n` moved into [min, max], still varying with `n` so unique columns get different values. */
function withinBounds(n: number, { min, max }: { min?: number; max?: number }): number {
  if (min !== undefined && max !== undefined) return max >= min ? min + (n % (max - min + 1)) : min;
  if (min !== undefined) return min + n;
  if (max !== undefined) return Math.min(n, max);
  return n;
}

/** Values a CHECK constraint on the column allows (`col = ANY (ARRAY['a'::text, …])`, `col IN (…)`). */
function allowedValues(table: CatalogTable, c: CatalogColumn): string[] {
  const name = new RegExp(`(^|[^\\w$])"?${escapeRegExp(c.name)}"?\\b`);
  for (const check of table.checks) {
    // varchar columns print as `(col)::text = ANY ((ARRAY[…]::character varying, …)::text[])`.
    if (!name.test(check) || !/ANY \(+ARRAY\[|\bIN \(/i.test(check)) continue;
    const values = [...check.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
    if (values.length > 0) return values;
  }
  return [];
}

function literal(value: unknown, column: CatalogColumn): string {
  if (value === null || value === undefined) return 'null';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `${quote(text)}::${column.type}`;
}

// ——— SQL text ———

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function tableRef(t: { schema: string; name: string }): string {
  return `${ident(t.schema)}.${ident(t.name)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

