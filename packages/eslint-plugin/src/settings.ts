import type { TSESLint } from '@typescript-eslint/utils';

/**
 * Options shared by every rule, read from `settings.supagate` of the flat config,
 * so a project states its tenant column or PII vocabulary once.
 */
export interface SupagateSettings {
  /** Column that says which tenant owns a row. */
  tenantColumn: string;
  /** Tables known to carry the tenant column (the CLI passes those the migrations define). Empty: every table. */
  tenantTables: string[];
  /** Glob-like directory prefix of edge functions, relative to the project root. */
  functionsDir: string;
  /** Extra words naming PII, and words that veto a PII match. */
  pii: { extra: string[]; veto: string[] };
  /** Call names (or prefixes ending in `*`) that make a value safe to log. */
  sanitizers: string[];
  /** Logger objects whose methods are checked like `console.*`, e.g. `logger`, `log`. */
  loggers: string[];
  /** Path of supabase/config.toml (absolute, or relative to the linted file's project root); found automatically when unset. */
  configToml?: string;
}

export const DEFAULT_SETTINGS: SupagateSettings = {
  tenantColumn: 'clinic_id',
  tenantTables: [],
  functionsDir: 'supabase/functions',
  pii: { extra: [], veto: [] },
  sanitizers: ['mask*', 'redact*', 'hash*', 'anonymize*', 'anonimiza*', 'mascara*', 'sha256'],
  loggers: ['logger', 'log'],
};

export function readSettings(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): SupagateSettings {
  const raw = (context.settings as { supagate?: Partial<SupagateSettings> } | undefined)?.supagate ?? {};
  return {
    ...DEFAULT_SETTINGS,
    ...raw,
    pii: { ...DEFAULT_SETTINGS.pii, ...(raw.pii ?? {}) },
    sanitizers: raw.sanitizers ? [...DEFAULT_SETTINGS.sanitizers, ...raw.sanitizers] : DEFAULT_SETTINGS.sanitizers,
    loggers: raw.loggers ?? DEFAULT_SETTINGS.loggers,
  };
}
