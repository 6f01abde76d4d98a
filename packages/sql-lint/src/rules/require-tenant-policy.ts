import { keyOf } from '../model/schema.js';
import type { Policy } from '../model/schema.js';
import { quoteIdent } from '../model/names.js';
import { appliesToApi, isAlwaysTrue, restrictsBy } from './policy-expr.js';
import { defineRule, isTenantScoped } from './rule.js';

const VERB: Record<string, string> = {
  select: 'read',
  insert: 'insert',
  update: 'change',
  delete: 'delete',
  all: 'read and write',
};

function who(policy: Policy): string {
  const r = policy.roles;
  if (r.includes('public')) return 'anyone';
  if (r.includes('anon')) return 'anyone with the anon key';
  return 'any signed-in user';
}

export const requireTenantPolicy = defineRule(
  'require-tenant-policy',
  'Permissive policies for API roles on tenant tables must restrict USING and WITH CHECK by the tenant column.',
  'error',
  'tenant-isolation',
  (context) => {
    const { tenantColumn } = context.options;
    const col = quoteIdent(tenantColumn);
    for (const table of context.model.tables.values()) {
      if (!isTenantScoped(context.options, table) || !table.columns.has(tenantColumn)) continue;
      for (const policy of table.policies.values()) {
        if (!policy.permissive || !appliesToApi(policy)) continue;
        context.visiting(policy.changedAt);
        const problems: string[] = [];
        const cmd = policy.command;
        if (cmd !== 'insert' && policy.using && !restrictsBy(policy.using, tenantColumn)) {
          problems.push(describe('USING', policy.usingText, policy.using));
        }
        const check = policy.withCheck; // without it, ALL and UPDATE reuse USING, checked above
        if (cmd !== 'select' && cmd !== 'delete' && check && !restrictsBy(check, tenantColumn)) {
          problems.push(describe('WITH CHECK', policy.withCheckText, check));
        }
        if (problems.length === 0) continue;
        const name = keyOf(table);
        context.report({
          at: policy.changedAt,
          object: name,
          message: `policy "${policy.name}" on ${name} lets ${who(policy)} ${VERB[cmd] ?? cmd} rows of every tenant: ${problems.join('; ')} — a cross-tenant leak; compare ${col} with the user's tenant, e.g. \`using (public.is_member_of(${col}))\`.`,
        });
      }
    }

    function describe(clause: string, text: string | undefined, expr: unknown): string {
      const shown = text ? `${clause} ${shorten(text)}` : clause;
      return isAlwaysTrue(expr as never) ? `${shown} admits every row` : `${shown} does not restrict by ${col}`;
    }
  },
);

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…)` : text;
}
