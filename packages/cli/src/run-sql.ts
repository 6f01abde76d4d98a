import { readFileSync } from 'node:fs';
import type { Diagnostic, LintSnapshot, MigrationFile, SqlLintOptions } from '@supagate/sql-lint';
import { detectSecrets } from '@supagate/eslint-plugin/light';
import type { Cache } from './cache.js';
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
  /** Migrations that could not be read as SQL text, and secrets written into migrations. */
  fileProblems: Finding[];
}

/**
 * Migrations at the end of the history that are parsed again on every run with a changed history:
 * the linter's state before them is kept in the cache (`sql-snapshot`). The usual change — the
 * newest migrations edited, or new ones added — then costs those files, not the whole history.
 */
const SNAPSHOT_TAIL = 20;

interface CachedSnapshot {
  snapshot: LintSnapshot;
}

/**
 * Lints the whole migration history. With a cache, an unchanged history (same file names
 * and contents, same options, same engine) is answered without parsing anything; a history
 * that still starts with the files of the cached snapshot is linted from there on (sql-lint
 * checks that those files and the options are the same, and lints everything otherwise).
 */
export async function runSqlLint(project: Project, migrationPaths: string[], options: SqlLintOptions, cache?: Cache): Promise<SqlRun> {
  // reportOnly only filters the output: the cached result is the whole history's.
  const { reportOnly, ...historyOptions } = options;
  const key = cache?.key(
    'sql-history',
    historyOptions,
    migrationPaths.map((file) => [toRelative(project, file), cache.files.hashOf(file)]),
  );
  let history = cache && key ? cache.read<CachedHistory>('sql-history', key) : undefined;
  if (!history) {
    const snapshotKey = cache?.key('sql-snapshot', historyOptions);
    const cached = cache && snapshotKey ? cache.read<CachedSnapshot>('sql-snapshot', snapshotKey) : undefined;
    const linted = await lintHistory(project, migrationPaths, historyOptions, options.tenantColumn, cache ? (cached?.snapshot ?? null) : undefined);
    history = linted.history;
    if (cache && key) cache.write('sql-history', key, history);
    if (cache && snapshotKey && linted.snapshot) cache.write('sql-snapshot', snapshotKey, { snapshot: linted.snapshot } satisfies CachedSnapshot);
  }

  const only = reportOnly ? new Set(reportOnly) : null;
  const findings: Finding[] = [];
  for (const problem of history.fileProblems) if (!only || only.has(problem.file)) findings.push(problem);
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
  return { findings, filesLinted: migrationPaths.length - history.fileProblems.length, tenantTables: history.tenantTables };
}

/**
 * `resumeFrom`: a snapshot to start from (null: none yet); undefined when there is no cache, so
 * none is taken either.
 */
async function lintHistory(
  project: Project,
  migrationPaths: string[],
  options: SqlLintOptions,
  tenantColumn: string | undefined,
  resumeFrom: LintSnapshot | null | undefined,
): Promise<{ history: CachedHistory; snapshot?: LintSnapshot }> {
  const files: MigrationFile[] = [];
  const fileProblems: Finding[] = [];
  for (const file of migrationPaths) {
    const rel = toRelative(project, file);
    try {
      const buffer = readFileSync(file);
      if (buffer.includes(0)) {
        fileProblems.push(fileProblem(rel, 'this migration is a binary file, not SQL text; it was skipped'));
        continue;
      }
      const text = buffer.toString('utf8');
      files.push({ path: rel, text });
      fileProblems.push(...secretsIn(rel, text));
    } catch (error) {
      fileProblems.push(fileProblem(rel, `cannot read this migration (${(error as NodeJS.ErrnoException).code ?? String(error)}); it was skipped`));
    }
  }
  // The parser (WASM) is loaded only when the history is not in the cache.
  const { lintMigrations, tenantTables } = await import('@supagate/sql-lint');
  const snapshotAt = resumeFrom !== undefined && files.length > SNAPSHOT_TAIL ? files.length - SNAPSHOT_TAIL : undefined;
  const result = await lintMigrations(files, options, { resumeFrom: resumeFrom ?? undefined, snapshotAt });
  return {
    history: { diagnostics: result.diagnostics, tenantTables: tenantTables(result.model, tenantColumn), fileProblems },
    snapshot: result.snapshot,
  };
}

/**
 * Keys written into migrations: real projects put the service-role JWT into a pg_cron /
 * pg_net call so the database can invoke an edge function. A migration is committed and
 * applied everywhere, so the key is as public as the repository.
 */
function secretsIn(file: string, text: string): Finding[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const position = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };
  return detectSecrets(text)
    .filter((secret) => !secret.testMode)
    .map((secret) => {
      const start = position(secret.index);
      const end = position(secret.index + secret.value.length);
      const ruleId = `${RULE_PREFIX}no-hardcoded-secrets`;
      return {
        ruleId,
        severity: 'error' as const,
        gate: gateOf(ruleId, 'edge-function'),
        file,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        message: `hardcoded ${secret.label} \`${secret.masked}\` in a migration — every clone of the repository and every database it is applied to has it; rotate it and read it at run time instead (Supabase Vault: \`vault.decrypted_secrets\`)`,
      };
    });
}

function fileProblem(file: string, message: string): Finding {
  return { ruleId: `${RULE_PREFIX}unreadable-file`, severity: 'error', gate: 'migration', file, line: 1, column: 1, endLine: 1, endColumn: 1, message };
}
