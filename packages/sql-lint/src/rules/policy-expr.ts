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
