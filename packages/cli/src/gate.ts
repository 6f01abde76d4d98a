import { existsSync } from 'node:fs';
import type { Finding } from './findings.js';
import { compareFindings } from './findings.js';
import { GATES, type GateId, RULE_PREFIX } from './gates.js';
import { discoverProject, listMigrations, toRelative, type Project } from './project.js';
import { runEslint } from './run-eslint.js';
import { runSqlLint } from './run-sql.js';

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
  summary: { files: number; errors: number; warnings: number; durationMs: number };
}

export const VERSION = '0.1.0';

export interface GateOptions {
  tenantColumn?: string;
  tenantTable?: string;
}

export async function runGate(rootArg: string, options: GateOptions = {}): Promise<GateReport> {
  const started = performance.now();
  const project = discoverProject(rootArg);
  const findings: Finding[] = [];
  const tenantColumn = options.tenantColumn ?? 'clinic_id';

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

  const migrations = listMigrations(project);
  const sql = await runSqlLint(project, migrations, {
    tenantColumn,
    tenantTable: options.tenantTable,
    exposedSchemas: project.config.exposedSchemas,
  });
  findings.push(...sql.findings);

  const eslint = await runEslint(project, {
    settings: {
      tenantColumn,
      // Unqualified names: edge functions write `.from('payments')`, not `public.payments`.
      tenantTables: sql.tenantTables.map((t) => t.replace(/^public\./, '')),
      ...(project.configTomlPath ? { configToml: project.configTomlPath } : {}),
    },
  });
  findings.push(...eslint.findings);

  findings.sort(compareFindings);
  const applicable = applicableGates(project, migrations.length);
  const gates = GATES.map((gate): GateResult => {
    const own = findings.filter((f) => f.gate === gate.id);
    const errors = own.filter((f) => f.severity === 'error').length;
    const warnings = own.filter((f) => f.severity === 'warning').length;
    const status: GateStatus = errors > 0 ? 'fail' : applicable.has(gate.id) || own.length > 0 ? 'pass' : 'not-applicable';
    return { id: gate.id, title: gate.title, status, errors, warnings };
  });
  return {
    tool: 'supagate',
    version: VERSION,
    root: rootArg,
    findings,
    gates,
    summary: {
      files: eslint.filesLinted + sql.filesLinted,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      durationMs: Math.round(performance.now() - started),
    },
  };
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
