import { keyOf } from '../model/schema.js';
import type { Policy, SchemaModel } from '../model/schema.js';
import { qualifiedName, quoteIdent } from '../model/names.js';
import type { AstNode } from '../parse/statements.js';
import { appliesToApi, hasOpenOrBranch, isAlwaysTrue, scopeOf } from './policy-expr.js';
import { defineRule, isTenantScoped } from './rule.js';

const VERB: Record<string, string> = { select: 'read', update: 'change', delete: 'delete', all: 'read, change and delete' };

function whoFor(policy: Policy | undefined): string {
  const r = policy?.roles ?? [];
  if (r.includes('public')) return 'anyone';
  if (r.includes('anon')) return 'anyone with the anon key';
  return 'any signed-in user';
}

/** A membership helper the project already has (`is_clinic_member(uuid)`), else the usual subquery. */
function tenantCheck(model: SchemaModel, col: string): string {
  const helpers = [...model.functions.values()]
    .filter((fn) => fn.args === 'uuid' && /member|tenant|clinic|belong|access|pertence|acesso/i.test(fn.name))
    .sort((a, b) => qualifiedName(a.schema, a.name).localeCompare(qualifiedName(b.schema, b.name)));
  if (helpers.length > 0) return `${qualifiedName(helpers[0].schema, helpers[0].name)}(${col})`;
  return `${col} in (select ${col} from <membership table> where user_id = auth.uid())`;
}

export const requireTenantPolicy = defineRule(
  'require-tenant-policy',
  'Permissive policies for API roles on tenant tables must restrict USING and WITH CHECK by the tenant column.',
  'error',
  'tenant-isolation',
  (context) => {
    const { tenantColumn } = context.options;
    const col = quoteIdent(tenantColumn);
    let current: Policy | undefined;
    let example: string | undefined; // the same for every finding: computed once
    for (const table of context.model.tables.values()) {
      if (!isTenantScoped(context.options, table) || !table.columns.has(tenantColumn)) continue;
      let columns: Set<string> | undefined;
      for (const policy of table.policies.values()) {
        if (!policy.permissive || !appliesToApi(policy)) continue;
        context.visiting(policy.changedAt);
        current = policy;
        const problems: string[] = [];
        const cmd = policy.command;
        columns ??= new Set(table.columns.keys());
        // Rows the policy lets the user see (and update or delete).
        if (cmd !== 'insert' && policy.using && scopeOf(policy.using, tenantColumn, columns) === 'none') {
          problems.push(describe('USING', policy.usingText, policy.using, `${VERB[cmd]} rows of every tenant`));
        }
        // Rows the policy lets the user write: WITH CHECK, or USING when ALL/UPDATE have none. Being
        // the row's owner does not stop a user from writing it into another tenant.
        const check = policy.withCheck ?? (cmd === 'all' || cmd === 'update' ? policy.using : undefined);
        const checkText = policy.withCheck ? policy.withCheckText : policy.usingText;
        const usingAlreadyReported = !policy.withCheck && problems.length > 0;
        if (cmd !== 'select' && cmd !== 'delete' && check && !usingAlreadyReported && scopeOf(check, tenantColumn, columns) !== 'tenant') {
          problems.push(describe(policy.withCheck ? 'WITH CHECK' : 'USING (which also checks writes)', checkText, check, 'write rows into any tenant'));
        }
        if (problems.length === 0) continue;
        const name = keyOf(table);
        context.report({
          at: policy.changedAt,
          object: name,
          message: `policy "${policy.name}" on ${name} leaks across tenants: ${problems.join('; ')} — compare ${col} with the user's tenant, e.g. \`using (${(example ??= tenantCheck(context.model, col))})\`.`,
        });
      }
    }

    function describe(clause: string, text: string | undefined, expr: AstNode, action: string): string {
      const shown = text ? `${clause} ${shorten(text)}` : clause;
      if (isAlwaysTrue(expr)) return `${shown} admits every row, so ${whoFor(current)} can ${action}`;
      const what = hasOpenOrBranch(expr, tenantColumn) ? 'has an OR branch that does not restrict' : 'does not restrict';
      return `${shown} ${what} by ${col}, so every user it admits can ${action}`;
    }
  },
);

function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}…)` : text;
}
