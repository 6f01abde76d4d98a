export type { MigrationFile, Diagnostic, Severity, RuleSetting, SqlLintOptions } from './types.js';
