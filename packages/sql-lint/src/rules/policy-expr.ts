import { nameList, stringValue, walk } from '../parse/ast.js';
import type { AstNode } from '../parse/statements.js';
import type { Policy } from '../model/schema.js';

/** Roles that Data API requests run as. `public` covers every role. */
export const API_ROLES = new Set(['anon', 'authenticated', 'public']);

export function appliesToApi(policy: Policy): boolean {
  return policy.roles.some((r) => API_ROLES.has(r));
}

/** Whether an expression mentions a column named `column` anywhere (also inside calls and subqueries). */
export function mentionsColumn(expr: AstNode | undefined, column: string): boolean {
  let found = false;
  walk(expr, (kind, value) => {
    if (found) return false;
    if (kind === 'ColumnRef') {
      const fields = nameList(value.fields);
      if (fields[fields.length - 1] === column) found = true;
    }
  });
  return found;
}

/**
 * Whether a policy expression keeps rows to the tenant: every way to make it true goes through the
 * tenant column. `a AND b` restricts if either side does; `a OR b` only if both do; anything else
 * restricts if it mentions the column (`clinic_id = …`, `is_member(clinic_id)`, `exists (… clinic_id …)`).
 */
export function restrictsBy(expr: AstNode | undefined, column: string): boolean {
  if (!expr) return false;
  const bool = expr.BoolExpr;
  if (bool) {
    const args: AstNode[] = bool.args ?? [];
    if (bool.boolop === 'AND_EXPR') return args.some((a) => restrictsBy(a, column));
    if (bool.boolop === 'OR_EXPR') return args.every((a) => restrictsBy(a, column));
    return mentionsColumn(expr, column);
  }
  return mentionsColumn(expr, column);
}

/**
 * How far an expression narrows the rows a policy admits:
 * - `tenant`: every way to make it true compares the tenant column;
 * - `owner`: otherwise every way ties the row to the signed-in user (`user_id = auth.uid()`,
 *   `patient_id in (select id from patients where user_id = auth.uid())`) — the user's own rows;
 * - `none`: some way admits rows regardless of tenant and user (`true`, `has_role(auth.uid(), 'admin')`).
 * `a AND b` takes the stronger side, `a OR b` the weaker.
 */
export type Scope = 'tenant' | 'owner' | 'none';
const RANK: Record<Scope, number> = { none: 0, owner: 1, tenant: 2 };

export function scopeOf(expr: AstNode | undefined, tenantColumn: string, rowColumns: ReadonlySet<string>): Scope {
  if (!expr) return 'none';
  const bool = expr.BoolExpr;
  if (bool && (bool.boolop === 'AND_EXPR' || bool.boolop === 'OR_EXPR')) {
    const scopes = ((bool.args ?? []) as AstNode[]).map((a) => scopeOf(a, tenantColumn, rowColumns));
    const pick = bool.boolop === 'AND_EXPR' ? Math.max : Math.min;
    const rank = pick(...scopes.map((x) => RANK[x]));
    return (Object.keys(RANK) as Scope[]).find((k) => RANK[k] === rank) ?? 'none';
  }
  // One walk for the three questions (it was three walks).
  let tenant = false;
  let identity = false;
  let rowColumn = false;
  walk(expr, (kind, value) => {
    if (tenant) return false;
    if (kind === 'ColumnRef') {
      const fields = nameList(value.fields);
      const last = fields[fields.length - 1];
      if (last === tenantColumn) tenant = true;
      if (rowColumns.has(last)) rowColumn = true;
    } else if (kind === 'FuncCall') {
      if (!identity && IDENTITY_FUNCTIONS.has(nameList(value.funcname).join('.'))) identity = true;
    } else if (kind === 'SQLValueFunction' && /CURRENT_USER|SESSION_USER/.test(String(value.op))) identity = true;
  });
  if (tenant) return 'tenant';
  return identity && rowColumn ? 'owner' : 'none';
}

const IDENTITY_FUNCTIONS = new Set(['auth.uid', 'auth.jwt', 'auth.email', 'uid']);

/** Whether the top level is an OR with some branch that restricts by the tenant column and some that does not. */
export function hasOpenOrBranch(expr: AstNode | undefined, tenantColumn: string): boolean {
  const bool = expr?.BoolExpr;
  if (!bool || bool.boolop !== 'OR_EXPR') return false;
  const args = (bool.args ?? []) as AstNode[];
  return args.some((a) => restrictsBy(a, tenantColumn)) && args.some((a) => !restrictsBy(a, tenantColumn));
}

/** `true`, `1 = 1`, `'t'::boolean`: expressions that admit every row. */
export function isAlwaysTrue(expr: AstNode | undefined): boolean {
  if (!expr) return false;
  if (expr.A_Const?.boolval !== undefined) return expr.A_Const.boolval.boolval === true;
  if (expr.TypeCast) {
    const s = stringValue(expr.TypeCast.arg);
    const type = nameList(expr.TypeCast.typeName?.names).pop();
    return type === 'bool' && s !== undefined && ['t', 'true', 'on', 'yes', '1'].includes(s.toLowerCase());
  }
  return false;
}

/** Names of functions an expression calls, as written (`public.is_member`, `auth.uid`). */
export function calledFunctions(expr: AstNode | undefined): string[][] {
  const out: string[][] = [];
  walk(expr, (kind, value) => {
    if (kind === 'FuncCall') out.push(nameList(value.funcname));
  });
  return out;
}
