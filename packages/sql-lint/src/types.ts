/** One migration file as the caller read it. `path` is relative to the project root, with forward slashes. */
export interface MigrationFile {
  path: string;
  text: string;
}

export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = 'off' | 'warn' | 'error' | 'info';

/** One problem at one place. Lines and columns are 1-based; columns count characters (UTF-16 units), not bytes. */
export interface Diagnostic {
  /** Rule id without plugin prefix, e.g. `require-rls`, `syntax-error`, `internal-error`, `unused-suppression`. */
  ruleId: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** Schema-qualified database object the finding is about, e.g. `public.payments`. */
  object?: string;
}

export interface SqlLintOptions {
  /** Column that says which tenant owns a row. Default `clinic_id`. */
  tenantColumn?: string;
  /** Schema-qualified tenant table. Default `public.clinics`. */
  tenantTable?: string;
  /** Schemas exposed through the Data API (`[api] schemas` of supabase/config.toml). Default `['public']`. */
  exposedSchemas?: string[];
  /** Schema-qualified tables exempt from the tenant rules. */
  exemptTables?: string[];
  /** Per-rule severity override; `off` disables a rule. */
  rules?: Record<string, RuleSetting>;
  /** When set, only diagnostics in these files are returned (the whole history is still replayed). */
  reportOnly?: string[];
}
