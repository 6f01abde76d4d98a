export type { MigrationFile, Diagnostic, Severity, RuleSetting, SqlLintOptions } from './types.js';
export { lintMigrations, lintMigrationsSync, sortMigrations, type LintResult } from './lint.js';
export { loadSqlParser, isSqlParserLoaded } from './parse/parser.js';
export { sqlRules } from './rules/index.js';
export type { SqlRuleMeta, SqlGate } from './rules/rule.js';
export { tenantTables, keyOf, refName } from './model/schema.js';
export type {
  SchemaModel,
  Table,
  Column,
  Policy,
  PolicyCommand,
  View,
  SqlFunction,
  SchemaInfo,
  RelationRef,
  SourceRef,
} from './model/schema.js';
export type { Statement, ParsedFile } from './parse/statements.js';
export { parseMigrationFile } from './parse/statements.js';
export { findSuppressions, suppresses, unusedSuppressionMessage, VERIFY_RULES, type Suppression } from './parse/suppressions.js';
export type { LintRun, LintSnapshot } from './lint.js';
