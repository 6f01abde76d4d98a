import { readFileSync } from 'node:fs';
import { lintMigrations, tenantTables, type MigrationFile, type SqlLintOptions } from '@supagate/sql-lint';
import type { Finding } from './findings.js';
import { gateOf, RULE_PREFIX } from './gates.js';
import { toRelative, type Project } from './project.js';

export interface SqlRun {
  findings: Finding[];
  filesLinted: number;
  /** Tables that carry the tenant column at the end of the history (schema-qualified). */
  tenantTables: string[];
}

export async function runSqlLint(project: Project, migrationPaths: string[], options: SqlLintOptions): Promise<SqlRun> {
  const files: MigrationFile[] = [];
  const findings: Finding[] = [];
  for (const file of migrationPaths) {
    const rel = toRelative(project, file);
    try {
      const buffer = readFileSync(file);
      if (buffer.includes(0)) {
        findings.push(fileProblem(rel, 'this migration is a binary file, not SQL text; it was skipped'));
        continue;
      }
      files.push({ path: rel, text: buffer.toString('utf8') });
    } catch (error) {
      findings.push(fileProblem(rel, `cannot read this migration (${(error as NodeJS.ErrnoException).code ?? String(error)}); it was skipped`));
    }
  }
  const result = await lintMigrations(files, options);
  for (const d of result.diagnostics) {
    const ruleId = `${RULE_PREFIX}${d.ruleId}`;
    findings.push({
      ruleId,
      severity: d.severity,
      gate: gateOf(ruleId, 'migration'),
      file: d.file,
      line: d.line,
      column: d.column,
      endLine: d.endLine,
      endColumn: d.endColumn,
      message: d.message,
      ...(d.object ? { object: d.object } : {}),
    });
  }
  return { findings, filesLinted: files.length, tenantTables: tenantTables(result.model, options.tenantColumn) };
}

function fileProblem(file: string, message: string): Finding {
  return { ruleId: `${RULE_PREFIX}unreadable-file`, severity: 'error', gate: 'migration', file, line: 1, column: 1, endLine: 1, endColumn: 1, message };
}
