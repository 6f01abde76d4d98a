import { keyOf } from '../model/schema.js';
import { defineRule } from './rule.js';

export const policyWithoutRls = defineRule(
  'policy-without-rls',
  'Policies exist on a table whose row level security is off, so they do nothing.',
  'error',
  'migration',
  (context) => {
    for (const table of context.model.tables.values()) {
      if (table.rls || table.policies.size === 0) continue;
      context.visiting(table.createdAt);
      const policies = [...table.policies.values()];
      const first = policies[0]; // insertion order: the oldest policy
      const name = keyOf(table);
      const names = policies.map((p) => `"${p.name}"`).join(', ');
      context.report({
        at: table.rlsChangedAt ?? first.createdAt,
        object: name,
        message: `table ${name} has ${policies.length === 1 ? 'policy' : 'policies'} ${names} but row level security is off, so ${policies.length === 1 ? 'it does' : 'they do'} nothing and every API user reaches every row — add \`alter table ${name} enable row level security\`.`,
      });
    }
  },
);

