import { keyOf } from '../model/schema.js';
import { defineRule, isExposed } from './rule.js';

export const rlsWithoutPolicy = defineRule(
  'rls-without-policy',
  'Row level security is on but the table has no policy: API users can reach no row.',
  'info',
  'migration',
  (context) => {
    for (const table of context.model.tables.values()) {
      if (!table.rls || table.policies.size > 0 || !isExposed(context.options, table.schema)) continue;
      context.visiting(table.createdAt);
      const name = keyOf(table);
      context.report({
        at: table.rlsChangedAt ?? table.createdAt,
        object: name,
        message: `table ${name} has row level security on but no policy: API users (anon, authenticated) can read or change none of its rows — add a policy, or leave it so if only the service role uses this table.`,
      });
    }
  },
);
