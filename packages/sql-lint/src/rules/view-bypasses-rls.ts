import { keyOf, refName } from '../model/schema.js';
import type { Table, View } from '../model/schema.js';
import { defineRule, isExposed } from './rule.js';

export const viewBypassesRls = defineRule(
  'view-bypasses-rls',
  'A view in an exposed schema over RLS-protected or tenant tables must use security_invoker.',
  'error',
  'migration',
  (context) => {
    const { tenantColumn } = context.options;
    for (const view of context.model.views.values()) {
      if (!isExposed(context.options, view.schema) || view.securityInvoker) continue;
      context.visiting(view.changedAt);
      const protectedSources = reachedTables(view)
        .filter((t) => (typeof t === 'string' ? t === 'auth.users' : t.rls || t.columns.has(tenantColumn)))
        .map((t) => (typeof t === 'string' ? t : keyOf(t)));
      if (protectedSources.length === 0) continue;
      const name = keyOf(view);
      const list = protectedSources.slice(0, 3).join(', ') + (protectedSources.length > 3 ? ', …' : '');
      context.report({
        at: view.changedAt,
        object: name,
        message: view.materialized
          ? `materialized view ${name} stores rows of ${list} and serves them to every API user without row level security — move it to a schema the Data API does not expose, or revoke select on it from anon and authenticated.`
          : `view ${name} runs with its owner's rights, so it returns rows of ${list} to every API user regardless of row level security — create it \`with (security_invoker = true)\`.`,
      });
    }
  },
);

/** Tables a view reads, through other views; unknown relations by name. */
function reachedTables(view: View): Array<Table | string> {
  const out: Array<Table | string> = [];
  const seen = new Set<unknown>();
  const stack: View[] = [view];
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (const ref of v.sources) {
      const key = ref.target ?? refName(ref);
      if (seen.has(key)) continue;
      seen.add(key);
      if (!ref.target) out.push(refName(ref));
      else if (ref.target.type === 'table') out.push(ref.target);
      else stack.push(ref.target);
    }
  }
  return out;
}
