import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { UsageError } from './errors.js';

export type RuleSeverity = 'off' | 'warn' | 'error';

/** supagate.config.json, as the JSON schema in packages/cli/schema describes it. */
export interface SupagateConfig {
  tenantColumn?: string;
  tenantTable?: string;
  functionsDir?: string;
  migrationsDir?: string;
  frontend?: string[];
  ignore?: string[];
  exposedSchemas?: string[];
  exemptTables?: string[];
  rules?: Record<string, RuleSeverity>;
  pii?: { extra?: string[]; veto?: string[] };
  sanitizers?: string[];
  loggers?: string[];
  secretsFile?: string;
}

export interface LoadedConfig {
  config: SupagateConfig;
  /** Where it came from (relative to the root), or null for defaults. */
  source: string | null;
}

export const CONFIG_FILE = 'supagate.config.json';
export const SCHEMA_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../schema/supagate.config.schema.json');

let validator: ReturnType<Ajv['compile']> | null = null;

function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  }
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

/**
 * Reads `supagate.config.json` or the `"supagate"` key of package.json. An invalid
 * configuration is a usage error (exit 2) listing every problem with its path.
 */
export function loadConfig(root: string, explicit?: string): LoadedConfig {
  const candidates: Array<{ file: string; key?: string }> = explicit
    ? [{ file: path.resolve(explicit) }]
    : [{ file: path.join(root, CONFIG_FILE) }, { file: path.join(root, 'package.json'), key: 'supagate' }];
  for (const { file, key } of candidates) {
    if (!existsSync(file)) {
      if (explicit) throw new UsageError(`config file not found: ${explicit}`);
      continue;
    }
    const shown = explicit ?? path.relative(root, file).split(path.sep).join('/');
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`${shown} is not valid JSON: ${(error as Error).message.split('\n')[0]}`);
    }
    if (key) {
      if (!data || typeof data !== 'object' || !(key in data)) continue;
      data = (data as Record<string, unknown>)[key];
    }
    const problems = validate(data);
    if (problems.length > 0) {
      const where = key ? `${shown} ("${key}")` : shown;
      const lines = problems.map((p) => `  ${formatPath(p)}: ${describe(p)}`);
      throw new UsageError(`invalid configuration in ${where}:\n${[...new Set(lines)].join('\n')}`);
    }
    return { config: data as SupagateConfig, source: key ? `${shown}#${key}` : shown };
  }
  return { config: {}, source: null };
}

function formatPath(error: ErrorObject): string {
  const base = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return base === '(root)' ? extra : `${base}.${extra}`;
  }
  return base;
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return 'unknown option';
    case 'enum':
      return `expected one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `expected ${(error.params as { type: string }).type}`;
    case 'pattern':
      return error.instancePath.includes('Table') || error.instancePath.includes('exemptTables')
        ? 'expected a schema-qualified table name like public.clinics'
        : 'expected an SQL identifier';
    case 'minLength':
      return 'expected a non-empty string';
    default:
      return error.message ?? 'invalid';
  }
}
