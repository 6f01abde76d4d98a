import { readFileSync } from 'node:fs';
import { lintMigrations, tenantTables, type Diagnostic, type MigrationFile, type SqlLintOptions } from '@supagate/sql-lint';
import { hash, type Cache } from './cache.js';
import type { Finding } from './findings.js';
import { gateOf, RULE_PREFIX } from './gates.js';
import { toRelative, type Project } from './project.js';

export interface SqlRun {
  findings: Finding[];
  filesLinted: number;
  /** Tables that carry the tenant column at the end of the history (schema-qualified). */
  tenantTables: string[];
}

interface CachedHistory {
  diagnostics: Diagnostic[];
  tenantTables: string[];
}

/**
 * Lints the whole migration history. With a cache, an unchanged history (same file names
 * and contents, same options, same engine) is answered without parsing anything.
 */
export async function runSqlLint(project: Project, migrationPaths: string[], options: SqlLintOptions, cache?: Cache): Promise<SqlRun> {
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

  // reportOnly only filters the output: the cached result is the whole history's.
  const { reportOnly, ...historyOptions } = options;
  const key = cache?.key('sql-history', historyOptions, files.map((f) => [f.path, hash(f.text)]));
  let history = cache && key ? cache.read<CachedHistory>('sql-history', key) : undefined;
  if (!history) {
    const result = await lintMigrations(files, historyOptions);
    history = { diagnostics: result.diagnostics, tenantTables: tenantTables(result.model, options.tenantColumn) };
    if (cache && key) cache.write('sql-history', key, history);
  }

  const only = reportOnly ? new Set(reportOnly) : null;
  for (const d of history.diagnostics) {
    if (only && !only.has(d.file)) continue;
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
  return { findings, filesLinted: files.length, tenantTables: history.tenantTables };
}

function fileProblem(file: string, message: string): Finding {
  return { ruleId: `${RULE_PREFIX}unreadable-file`, severity: 'error', gate: 'migration', file, line: 1, column: 1, endLine: 1, endColumn: 1, message };
}
