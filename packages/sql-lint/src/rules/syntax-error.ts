import { defineRule } from './rule.js';

export const syntaxError = defineRule(
  'syntax-error',
  'Postgres cannot parse the migration: it would fail when applied.',
  'error',
  'migration',
  (context) => {
    for (const f of context.files) {
      const e = f.syntaxError;
      if (!e) continue;
      context.report({
        at: { file: f.file.path, line: e.line, column: e.column, endLine: e.line, endColumn: e.column + 1 },
        message: `Postgres rejects this migration: ${e.message}. It would fail when applied; statements after this point in the file were not analysed.`,
      });
    }
  },
);
