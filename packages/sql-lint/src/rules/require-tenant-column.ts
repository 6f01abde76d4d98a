import { keyOf, refName } from '../model/schema.js';
import { quoteIdent } from '../model/names.js';
import { defineRule, isTenantScoped } from './rule.js';

export const requireTenantColumn = defineRule(
  'require-tenant-column',
  'Every exposed table carries the tenant column, NOT NULL and referencing the tenant table.',
  'error',
  'migration',
  (context) => {
    const { tenantColumn, tenantTable } = context.options;
    const col = quoteIdent(tenantColumn);
    for (const table of context.model.tables.values()) {
      if (!isTenantScoped(context.options, table) || table.variant === 'partition') continue;
      context.visiting(table.createdAt);
      const name = keyOf(table);
      const column = table.columns.get(tenantColumn);
      if (!column) {
        if (!table.columnsKnown) continue;
        context.report({
          at: table.createdAt,
          object: name,
          message: `table ${name} has no ${col} column: its rows belong to no tenant, so no policy can keep tenants apart — add \`${col} uuid not null references ${tenantTable}(id)\` (or exempt the table with a reason).`,
        });
        continue;
      }
      if (!column.notNull) {
        context.report({
          at: column.changedAt,
          object: name,
          severity: 'warning',
          message: `${name}.${col} is nullable: a row without a tenant escapes every policy that compares ${col} — add \`alter table ${name} alter column ${col} set not null\`.`,
        });
      }
      if (!column.references.some((r) => refName(r) === tenantTable)) {
        context.report({
          at: column.changedAt,
          object: name,
          severity: 'warning',
          message: `${name}.${col} does not reference ${tenantTable}: a row can name a tenant that does not exist — add \`alter table ${name} add foreign key (${col}) references ${tenantTable}(id)\`.`,
        });
      }
    }
  },
);
