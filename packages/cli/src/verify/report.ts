import { existsSync } from 'node:fs';
import path from 'node:path';
import { cacheDirOf } from '../cache.js';
import { loadConfig, type SupagateConfig } from '../config.js';
import type { GateReport, GateResult } from '../gate.js';
import type { Finding } from '../findings.js';
import { bareRuleId, GATES } from '../gates.js';
import { discoverProject } from '../project.js';
import { runVerify, type VerifyOptions, type VerifyResult } from './index.js';

export interface VerifyCommandOptions extends Pick<VerifyOptions, 'databaseUrl' | 'membershipSql' | 'tenantColumn'> {
  configPath?: string;
  /** Keep the initialised embedded database in node_modules/.cache/supagate (default on). */
  cache?: boolean;
}

/** `supagate verify [dir]`: the verify findings alone, in the gate report's shape so every format prints them. */
export async function verifyReport(rootArg: string, options: VerifyCommandOptions, version: string): Promise<{ report: GateReport; result: VerifyResult }> {
  const started = performance.now();
  const root = path.resolve(rootArg);
  const { config, source } = existsSync(root) ? loadConfig(root, options.configPath) : { config: {} as SupagateConfig, source: null };
  const project = discoverProject(rootArg, { functionsDir: config.functionsDir, migrationsDir: config.migrationsDir, configured: source !== null });
  const result = await runVerify(project, {
    tenantColumn: options.tenantColumn ?? config.tenantColumn,
    tenantTable: config.tenantTable,
    exposedSchemas: [...new Set([...project.config.exposedSchemas, ...(config.exposedSchemas ?? [])])],
    membershipSql: options.membershipSql,
    databaseUrl: options.databaseUrl,
    ...(options.cache === false ? {} : { cacheDir: cacheDirOf(project.root) }),
  });
  const findings = applySeverities(result.findings, config.rules);
  const gates = GATES.filter((g) => g.id === 'migration' || g.id === 'tenant-isolation').map((gate): GateResult => {
    const own = findings.filter((f) => f.gate === gate.id);
    const errors = own.filter((f) => f.severity === 'error').length;
    const warnings = own.filter((f) => f.severity === 'warning').length;
    return { id: gate.id, title: gate.title, status: errors > 0 ? 'fail' : result.stats.migrations > 0 ? 'pass' : 'not-applicable', errors, warnings };
  });
  const report: GateReport = {
    tool: 'supagate',
    version,
    root: rootArg,
    findings,
    gates,
    summary: {
      files: result.stats.migrations,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      durationMs: Math.round(performance.now() - started),
    },
    inventory: { functions: [], secrets: { read: [], declared: [], undeclared: [], declarationFile: null } },
  };
  return { report, result };
}

/** The configured severity per rule (`"rules": { "tenant-leak": "warn" }`), as the gate applies it. */
function applySeverities(findings: Finding[], rules: SupagateConfig['rules']): Finding[] {
  if (!rules) return findings;
  const settings = new Map(Object.entries(rules).map(([id, severity]) => [bareRuleId(id), severity]));
  const out: Finding[] = [];
  for (const f of findings) {
    const setting = settings.get(bareRuleId(f.ruleId));
    if (setting === 'off') continue;
    out.push(setting === 'warn' ? { ...f, severity: 'warning' } : setting === 'error' ? { ...f, severity: 'error' } : f);
  }
  return out;
}
