import { qualifiedName } from '../model/names.js';
import { defineRule } from './rule.js';

export const securityDefinerSearchPath = defineRule(
  'security-definer-search-path',
  'A SECURITY DEFINER function must pin search_path.',
  'error',
  'migration',
  (context) => {
    for (const fn of context.model.functions.values()) {
      if (!fn.securityDefiner || fn.searchPath !== undefined) continue;
      context.visiting(fn.changedAt);
      const name = `${qualifiedName(fn.schema, fn.name)}(${fn.args})`;
      context.report({
        at: fn.changedAt,
        object: qualifiedName(fn.schema, fn.name),
        message: `${fn.kind} ${name} is SECURITY DEFINER but does not set search_path: a caller can put their own tables or functions first on the search path and have them run with the owner's rights — add \`set search_path = ''\` and schema-qualify the names it uses.`,
      });
    }
  },
);
