import { defineRule } from './rule.js';

export const opaqueStatement = defineRule(
  'opaque-statement',
  'A DO block with dynamic SQL or an EXECUTE statement: what it does cannot be checked.',
  'info',
  'migration',
  (context) => {
    const seen = new Set<string>();
    for (const s of context.model.opaque) {
      if (seen.has(s.file)) continue;
      seen.add(s.file);
      const what =
        s.kind === 'ExecuteStmt'
          ? 'this EXECUTE runs a prepared statement'
          : 'this DO block runs SQL built at run time (EXECUTE), or a body';
      context.report({
        at: s,
        message: `${what} that supagate cannot see into: tables, row level security and policies it creates or changes in this file are not checked — prefer plain statements in migrations.`,
      });
    }
  },
);
