import { keyOf } from '../model/schema.js';
import { defineRule, isExposed } from './rule.js';

export const requireRls = defineRule(
  'require-rls',
  'Every table in a schema the Data API exposes must have row level security enabled.',
  'error',
  'migration',
  (context) => {
    for (const table of context.model.tables.values()) {
      // Foreign tables cannot have RLS at all (Postgres rejects ENABLE on them): nothing to ask for here.
      if (!isExposed(context.options, table.schema) || table.rls || table.variant === 'foreign') continue;
      context.visiting(table.createdAt);
      const name = keyOf(table);
      const fix = `alter table ${name} enable row level security`;
      if (table.rlsChangedAt) {
        context.report({
          at: table.rlsChangedAt,
          object: name,
          message: `row level security on table ${name} is turned off here: anyone with the anon key can read and write it through the Data API — keep it on (\`${fix}\`) and grant access with policies.`,
        });
      } else {
        context.report({
          at: table.createdAt,
          object: name,
          message: `table ${name} has no row level security: anyone with the anon key can read and write it — add \`${fix}\`.`,
        });
      }
    }
  },
);
