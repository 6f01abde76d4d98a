import path from 'node:path';
import type { CustomRuleDefinitionType } from '@eslint/plugin-kit';
import { sqlRules, type Diagnostic, type Severity, type SqlRuleMeta } from '@supagate/sql-lint';
import type { TSESLint } from '@typescript-eslint/utils';
import { DOCS_BASE_URL } from '../create-rule.js';
import { migrationDiagnostics, type SqlSettings } from './migration-history.js';
import type { SqlDocument, SqlLanguageOptions, SqlNode, SqlSourceCode } from './sql-language.js';

export type SqlRuleVisitor = {
  Document?: (node: SqlDocument) => void;
  'Document:exit'?: (node: SqlDocument) => void;
};

export type SqlRuleDefinition = CustomRuleDefinitionType<
  { LangOptions: SqlLanguageOptions; Code: SqlSourceCode; Visitor: SqlRuleVisitor; Node: SqlNode },
  { RuleOptions: []; ExtRuleDocs: { gate: SqlRuleMeta['gate']; recommended: boolean } }
>;

type SqlRuleContext = Parameters<SqlRuleDefinition['create']>[0];

/** Every rule of one file reads the same findings: one lookup per linted file, not per rule. */
const perSourceCode = new WeakMap<object, Diagnostic[]>();

function diagnosticsOf(context: SqlRuleContext): Diagnostic[] {
  const sourceCode = context.sourceCode;
  let diagnostics = perSourceCode.get(sourceCode);
  if (!diagnostics) {
    const settings = ((context.settings as { supagate?: SqlSettings } | undefined)?.supagate ?? {}) as SqlSettings;
    const filename = path.resolve(context.cwd, context.physicalFilename ?? context.filename);
    try {
      diagnostics = migrationDiagnostics(filename, sourceCode.text, settings, context.cwd);
    } catch (error) {
      // lintMigrationsSync guards its rules; this is a failure around it (I/O, options).
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      diagnostics = [
        {
          ruleId: 'internal-error',
          severity: 'error',
          file: path.basename(filename),
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 1,
          message: `supagate failed while checking the migration history of this file (${message}) — please report this.`,
        },
      ];
    }
    perSourceCode.set(sourceCode, diagnostics);
  }
  return diagnostics;
}

/** One ESLint rule per sql-lint rule id: it reports that rule's findings in the linted file. */
function createSqlRule(meta: SqlRuleMeta): SqlRuleDefinition {
  return {
    meta: {
      type: 'problem',
      docs: {
        description: meta.description,
        url: `${DOCS_BASE_URL}${meta.id}.md`,
        gate: meta.gate,
        recommended: meta.defaultSeverity !== 'info',
      },
      schema: [],
    },
    create(context) {
      return {
        'Document:exit'() {
          for (const d of diagnosticsOf(context)) {
            if (d.ruleId !== meta.id) continue;
            // The language's lineStart and columnStart are 1: sql-lint's 1-based positions pass through as they are.
            context.report({
              loc: { start: { line: d.line, column: d.column }, end: { line: d.endLine, column: d.endColumn } },
              message: d.message,
            });
          }
        },
      };
    },
  };
}

/** `require-rls`, `require-tenant-column`, … as ESLint rules, keyed by their sql-lint ids. */
export const sqlEslintRules: Record<string, SqlRuleDefinition> = Object.fromEntries(
  Object.values(sqlRules).map((meta) => [meta.id, createSqlRule(meta)]),
);

/**
 * ESLint has no `info` severity. Rules whose findings are informational
 * (`rls-without-policy`: a table only the service role reads; `opaque-statement`:
 * a `DO` block supagate cannot see into) stay off in the editor, where they would
 * paint intended code yellow; the CLI report still lists them. Turn them on with 'warn'.
 */
export function eslintSeverity(severity: Severity): 'error' | 'warn' | 'off' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warn' : 'off';
}

export interface SqlConfigOptions {
  /** Migrations folder relative to the project root. Default `supabase/migrations`. */
  migrationsDir?: string;
}

/** The flat config object that lints migrations with the SQL language and rules. */
export function sqlMigrationsConfig(
  plugin: TSESLint.FlatConfig.Plugin,
  pluginName: string,
  options: SqlConfigOptions = {},
): TSESLint.FlatConfig.Config {
  const dir = (options.migrationsDir ?? 'supabase/migrations').replace(/^\.\/|\/+$/g, '');
  const rules: TSESLint.FlatConfig.Rules = {};
  for (const meta of Object.values(sqlRules)) {
    const severity = eslintSeverity(meta.defaultSeverity);
    if (severity !== 'off') rules[`${pluginName}/${meta.id}`] = severity;
  }
  return {
    name: 'supagate/recommended/migrations',
    files: [`**/${dir}/*.sql`],
    plugins: { [pluginName]: plugin },
    language: `${pluginName}/sql`,
    rules,
  };
}
