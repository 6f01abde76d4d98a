import type { TSESLint } from '@typescript-eslint/utils';
import * as tsParser from '@typescript-eslint/parser';
import { rules } from './rules/index.js';
import { sqlLanguage } from './languages/sql-language.js';
import { sqlEslintRules, sqlMigrationsConfig } from './languages/sql-rules.js';

export { rules };
export { createRule, DOCS_BASE_URL } from './create-rule.js';
export type { SupagateRuleDocs } from './create-rule.js';
export { DEFAULT_SETTINGS, type SupagateSettings } from './settings.js';
export { inventoryOf, inventoryOfSource, type ModuleInventory } from './analysis/inventory.js';
export { PLATFORM_SECRETS, readDeclarationFile } from './analysis/declared-secrets.js';
export { functionNameOf, isFunctionEntrypoint } from './analysis/function-path.js';
export { sqlLanguage, SqlLanguage, SqlSourceCode, type SqlDocument } from './languages/sql-language.js';
export { sqlEslintRules, sqlMigrationsConfig, type SqlRuleDefinition } from './languages/sql-rules.js';
export { maskSecret, maskSecretsIn, detectSecret, detectSecrets, type SecretMatch, type SecretKind } from './analysis/secrets.js';

const PLUGIN_NAME = '@supagate';

/** Rules that only make sense inside edge functions (server side, Deno). */
const FUNCTION_RULES = [
  'require-handler',
  'undeclared-secret',
  'no-pii-in-logs',
  'require-webhook-verification',
  'require-tenant-scope',
  'require-error-handling',
  'require-structured-logs',
  'no-hardcoded-secrets',
];
/** Rules for the rest of the code base, where the browser bundle is built. */
const CLIENT_RULES = ['no-service-role-in-client', 'no-hardcoded-secrets'];

const EXTENSIONS = '{ts,tsx,js,mjs,cjs,jsx,mts,cts}';

function enabled(ids: string[]): TSESLint.FlatConfig.Rules {
  const out: TSESLint.FlatConfig.Rules = {};
  for (const id of ids) if (id in rules) out[`${PLUGIN_NAME}/${id}`] = 'error';
  return out;
}

const plugin = {
  meta: { name: '@supagate/eslint-plugin', version: '0.1.0' },
  languages: { sql: sqlLanguage },
  // SQL rule ids (require-rls, …) are distinct from the TypeScript ones; a test keeps it so.
  rules: { ...sqlEslintRules, ...rules },
  configs: {} as Record<string, TSESLint.FlatConfig.ConfigArray>,
};

export interface RecommendedOptions {
  /** Where the edge functions live, relative to the project root. Default `supabase/functions`. */
  functionsDir?: string;
  /**
   * Where the migrations live, relative to the project root. Default `supabase/migrations`.
   * `false` leaves the SQL config out (a caller that runs sql-lint itself, like the CLI).
   */
  migrationsDir?: string | false;
}

/**
 * The recommended configs for a project whose functions live somewhere else than
 * `supabase/functions` (the CLI builds it from the project's configuration).
 */
export function recommendedConfig(options: RecommendedOptions = {}): TSESLint.FlatConfig.ConfigArray {
  const functionsDir = (options.functionsDir ?? 'supabase/functions').replace(/^\.\/|\/+$/g, '');
  const functionFiles = [`${functionsDir}/**/*.${EXTENSIONS}`];
  const shared = {
    plugins: { [PLUGIN_NAME]: plugin as unknown as TSESLint.FlatConfig.Plugin },
    languageOptions: { parser: tsParser as TSESLint.FlatConfig.Parser, sourceType: 'module' as const },
  };
  return [
    { name: 'supagate/recommended/edge-functions', files: functionFiles, ...shared, rules: enabled(FUNCTION_RULES) },
    {
      name: 'supagate/recommended/client',
      files: [`**/*.${EXTENSIONS}`],
      ignores: functionFiles,
      ...shared,
      rules: enabled(CLIENT_RULES),
    },
    ...(options.migrationsDir === false
      ? []
      : [sqlMigrationsConfig(plugin as unknown as TSESLint.FlatConfig.Plugin, PLUGIN_NAME, { migrationsDir: options.migrationsDir })]),
  ];
}

plugin.configs.recommended = recommendedConfig();
/** Migrations only, with the `@supagate/sql` language (already part of `recommended`). */
plugin.configs['recommended-sql'] = [sqlMigrationsConfig(plugin as unknown as TSESLint.FlatConfig.Plugin, PLUGIN_NAME)];

export default plugin;
