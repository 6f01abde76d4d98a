import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { changedFiles } from './changed-files.js';
import { loadConfig, type RuleSeverity, type SupagateConfig } from './config.js';
import type { Finding } from './findings.js';
import { compareFindings } from './findings.js';
import { Cache, hash } from './cache.js';
import { VERSION } from './version.js';
import { bareRuleId, GATES, type GateId, RULE_PREFIX } from './gates.js';
import { discoverProject, listMigrations, toRelative, type Project } from './project.js';
import { buildInventory, type Inventory } from './inventory.js';
import { lintSources } from './lint-sources.js';
import { assignFingerprints } from './report/fingerprint.js';
import { runSqlLint } from './run-sql.js';
import type { VerifyOptions, VerifyResult } from './verify/index.js';

export type GateStatus = 'pass' | 'fail' | 'not-applicable';

export interface GateResult {
  id: GateId;
  title: string;
  status: GateStatus;
  errors: number;
  warnings: number;
}

export interface GateReport {
  tool: 'supagate';
  version: string;
  root: string;
  findings: Finding[];
  gates: GateResult[];
  summary: { files: number; errors: number; warnings: number; durationMs: number; baselined?: number };
  /** The integration map (plan gate) and the secrets to set (release gate). */
  inventory: Inventory;
}

export { VERSION } from './version.js';

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

export interface GateOptions {
  /** Path of a configuration file instead of the project's own. */
  configPath?: string;
  /** Overrides the configured tenant column. */
  tenantColumn?: string;
  /** Lint only what git has staged (the whole migration history is still replayed). */
  staged?: boolean;
  /** Lint only files changed since the merge base with this ref. */
  changedSince?: string;
  /** Fingerprints of accepted findings: they are left out of the report. */
  baseline?: Set<string>;
  /** Content-hash cache under node_modules/.cache/supagate (default on). */
  cache?: boolean;
  /** Also replay the migrations into an embedded Postgres and probe tenant isolation (`--verify`). */
  verify?: boolean | Pick<VerifyOptions, 'databaseUrl' | 'membershipSql'>;
  /** Receives the verify run (statements applied, tables probed) when `verify` is set. */
  onVerify?: (result: VerifyResult) => void;
}

export async function runGate(rootArg: string, options: GateOptions = {}): Promise<GateReport> {
  const started = performance.now();
  const root = path.resolve(rootArg);
  const { config, source } = existsSync(root) ? loadConfig(root, options.configPath) : { config: {} as SupagateConfig, source: null };
  const project = discoverProject(rootArg, { functionsDir: config.functionsDir, migrationsDir: config.migrationsDir, configured: source !== null });
  const tenantColumn = options.tenantColumn ?? config.tenantColumn ?? 'clinic_id';
  const cache = options.cache === false ? undefined : new Cache(project.root);
  const findings: Finding[] = [];

  if (project.config.error && project.configTomlPath) {
    const { message, line, column } = project.config.error;
    findings.push({
      ruleId: `${RULE_PREFIX}config-error`,
      severity: 'error',
      gate: 'plan',
      file: toRelative(project, project.configTomlPath),
      line,
      column,
      endLine: line,
      endColumn: column,
      message: `supabase/config.toml cannot be read (${message}); defaults were used`,
    });
  }

  const changed = options.staged
    ? changedFiles(project.root, { staged: true })
    : options.changedSince
      ? changedFiles(project.root, { since: options.changedSince })
      : null;

  const migrations = listMigrations(project);
  const changedMigrations = changed ? migrations.filter((m) => changed.includes(m)) : null;
  const sql = await runSqlLint(project, migrations, {
    tenantColumn,
    tenantTable: config.tenantTable,
    exposedSchemas: [...new Set([...project.config.exposedSchemas, ...(config.exposedSchemas ?? [])])],
    exemptTables: config.exemptTables,
    rules: sqlRuleSettings(config.rules),
    ...(changedMigrations ? { reportOnly: changedMigrations.map((m) => toRelative(project, m)) } : {}),
  }, cache);
  findings.push(...sql.findings);
  if (options.verify) {
    // Loaded on demand: the embedded Postgres is only needed here.
    const { runVerify } = await import('./verify/index.js');
    const verify = await runVerify(project, {
      tenantColumn,
      tenantTable: config.tenantTable,
      exposedSchemas: [...new Set([...project.config.exposedSchemas, ...(config.exposedSchemas ?? [])])],
      cacheDir: cache?.dir,
      ...(typeof options.verify === 'object' ? options.verify : {}),
    });
    findings.push(...verify.findings);
    options.onVerify?.(verify);
  }

  const functionsDir = toRelative(project, project.functionsDir);
  const eslint = await lintSources(project, {
    functionsDir,
    patterns: config.frontend,
    ignores: config.ignore,
    // Migrations are sql-lint's: never hand them to ESLint too (its SQL language would report them twice).
    files: changed ? changed.filter((f) => f.startsWith(project.root + path.sep) && SOURCE_FILE.test(f)) : undefined,
    ruleSeverities: config.rules,
    ruleOptions: config.secretsFile ? { 'undeclared-secret': [{ declarationFile: config.secretsFile }] } : {},
    cache,
    settings: {
      // Files rules read besides the one they lint: part of ESLint's cache key through the config.
      inputsHash: cache ? sideInputsHash(project, cache, config.secretsFile) : undefined,
      tenantColumn,
      functionsDir,
      // Unqualified names: edge functions write `.from('payments')`, not `public.payments`.
      tenantTables: sql.tenantTables.map((t) => t.replace(/^public\./, '')),
      ...(config.pii ? { pii: config.pii } : {}),
      ...(config.sanitizers ? { sanitizers: config.sanitizers } : {}),
      ...(config.loggers ? { loggers: config.loggers } : {}),
      ...(project.configTomlPath ? { configToml: project.configTomlPath } : {}),
    },
  }, cache);
  findings.push(...eslint.findings);

  const inventory = await buildInventory(project, config.secretsFile, cache);
  cache?.flush();
  const all = applySeverities(findings, config.rules).sort(compareFindings);
  let kept = all;
  if (options.baseline) {
    const fingerprints = assignFingerprints({ findings: all, root: rootArg }, project.root);
    kept = all.filter((_, i) => !options.baseline!.has(fingerprints[i]));
  }
  const applicable = applicableGates(project, migrations.length);
  const gates = GATES.map((gate): GateResult => {
    const own = kept.filter((f) => f.gate === gate.id);
    const errors = own.filter((f) => f.severity === 'error').length;
    const warnings = own.filter((f) => f.severity === 'warning').length;
    const status: GateStatus = errors > 0 ? 'fail' : applicable.has(gate.id) || own.length > 0 ? 'pass' : 'not-applicable';
    return { id: gate.id, title: gate.title, status, errors, warnings };
  });
  return {
    tool: 'supagate',
    version: VERSION,
    root: rootArg,
    findings: kept,
    gates,
    summary: {
      files: eslint.filesLinted + sql.filesLinted,
      errors: kept.filter((f) => f.severity === 'error').length,
      warnings: kept.filter((f) => f.severity === 'warning').length,
      durationMs: Math.round(performance.now() - started),
      ...(options.baseline ? { baselined: all.length - kept.length } : {}),
    },
    inventory,
  };
}

/**
 * Rules read more than the file they lint: config.toml (verify_jwt), the secrets declaration,
 * and shared modules imported by handlers. A change in any of them must invalidate ESLint's
 * per-file cache, so their contents go into the settings ESLint hashes.
 */
function sideInputsHash(project: Project, cache: Cache, secretsFile = '.env.example'): string {
  const parts: string[] = [];
  const add = (file: string) => parts.push(`${file}\0${cache.files.hashOf(file) ?? 'missing'}`);
  if (project.configTomlPath) add(project.configTomlPath);
  add(path.join(project.functionsDir, secretsFile));
  if (existsSync(project.functionsDir)) {
    for (const entry of readdirSync(project.functionsDir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name.startsWith('_')) {
        for (const file of readdirSync(path.join(project.functionsDir, entry.name), { recursive: true, withFileTypes: true })) {
          if (file.isFile()) add(path.join(file.parentPath ?? (file as unknown as { path: string }).path, file.name));
        }
      }
    }
  }
  return hash(parts.sort().join('\n'));
}

function sqlRuleSettings(rules: Record<string, RuleSeverity> | undefined): Record<string, RuleSeverity> | undefined {
  if (!rules) return undefined;
  return Object.fromEntries(Object.entries(rules).map(([id, sev]) => [bareRuleId(id), sev]));
}

/** The configured severity wins over every engine's default, for every kind of finding. */
function applySeverities(findings: Finding[], rules: Record<string, RuleSeverity> | undefined): Finding[] {
  if (!rules) return findings;
  const settings = sqlRuleSettings(rules)!;
  const out: Finding[] = [];
  for (const f of findings) {
    const setting = settings[bareRuleId(f.ruleId)];
    if (setting === 'off') continue;
    if (setting === 'warn') out.push({ ...f, severity: 'warning' });
    else if (setting === 'error') out.push({ ...f, severity: 'error' });
    else out.push(f);
  }
  return out;
}

/** A gate with nothing to look at (no functions, no migrations) is not applicable rather than passed. */
function applicableGates(project: Project, migrationCount: number): Set<GateId> {
  const out = new Set<GateId>();
  if (existsSync(project.functionsDir)) {
    out.add('plan').add('edge-function').add('observability').add('release').add('tenant-isolation');
  }
  if (migrationCount > 0) out.add('migration').add('tenant-isolation');
  return out;
}
