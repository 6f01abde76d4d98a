import type { VerifyDatabase } from './database.js';
import { maskSecretsIn } from '@supagate/eslint-plugin/light';
import type { ParsedFile, Statement } from '@supagate/sql-lint';
import type { Finding } from '../findings.js';
import { RULE_PREFIX } from '../gates.js';
import { extensionStub, INDEX_METHODS_OF_STUBS, SUPABASE_SEARCH_PATH } from './supabase-shim.js';

/** What Postgres said about a statement it rejected. */
interface PgError {
  message: string;
  code?: string;
  position?: string | number;
  detail?: string;
  hint?: string;
}

export interface ReplayResult {
  findings: Finding[];
  /** Statements the database accepted. */
  applied: number;
  /** Statements the database rejected (each a `migration-error`). */
  rejected: Statement[];
  /** Statements not sent: transaction control (the replay owns transactions), extensions the database lacks. */
  skipped: number;
  /** Extensions a migration asked for that the database does not have (or refused). */
  missingExtensions: string[];
}

/**
 * Applies each migration statement in order, each inside a SAVEPOINT of its file's transaction
 * (Supabase applies a file in one transaction). A statement Postgres rejects is rolled back to its
 * savepoint and becomes a `migration-error` at its file and line with Postgres's own message; the
 * rest of the history still applies.
 */
export async function replayMigrations(db: VerifyDatabase, files: ParsedFile[]): Promise<ReplayResult> {
  const result: ReplayResult = { findings: [], applied: 0, rejected: [], skipped: 0, missingExtensions: [] };
  for (const file of files) {
    await db.exec(`reset session authorization; reset all; set search_path to ${SUPABASE_SEARCH_PATH}; set check_function_bodies = on; begin`);
    // Most files apply cleanly: each run of ordinary statements is sent at once, and only a run
    // that fails is replayed statement by statement, for the exact statement and line.
    let run: Statement[] = [];
    const flush = async (): Promise<void> => {
      if (run.length > 1 && !(await tryExec(db, run.map((s) => s.text).join('\n;\n')))) result.applied += run.length;
      else for (const statement of run) await applyStatement(db, file, statement, result);
      run = [];
    };
    for (const statement of file.statements) {
      if (statement.kind === 'TransactionStmt' || statement.kind === 'CreateExtensionStmt') {
        await flush();
        await applyStatement(db, file, statement, result);
      } else run.push(statement);
    }
    await flush();
    await db.exec('commit');
  }
  await db.exec(`reset session authorization; reset all; set search_path to ${SUPABASE_SEARCH_PATH}`);
  return result;
}

async function applyStatement(db: VerifyDatabase, file: ParsedFile, statement: Statement, result: ReplayResult): Promise<void> {
  if (statement.kind === 'TransactionStmt') {
    // BEGIN/COMMIT in a migration: the replay already runs the file in one transaction.
    result.skipped++;
    return;
  }
  const extension = statement.kind === 'CreateExtensionStmt' ? String(statement.node.extname ?? '') : undefined;
  if (extension !== undefined && !db.hasExtension(extension)) {
    await standInForExtension(db, statement, extension, 'is not available in', result);
    return;
  }
  const error = await tryExec(db, statement.text);
  if (!error) {
    result.applied++;
    return;
  }
  const method = /access method "(\w+)" does not exist/.exec(error.message)?.[1];
  const standIn = method ? INDEX_METHODS_OF_STUBS[method] : undefined;
  if (standIn && result.missingExtensions.includes(standIn)) {
    result.skipped++;
    result.findings.push(finding(statement, 'info', `index method "${method}" belongs to the extension "${standIn}", which ${db.label} only stands in for; the index was skipped`));
    return;
  }
  if (extension !== undefined && error.code !== undefined && EXTENSION_REFUSED.has(error.code)) {
    // Installed but refused here, e.g. pg_cron outside its `cron.database_name`: the replay
    // goes on as if it were missing rather than failing every statement that uses it.
    await standInForExtension(db, statement, extension, `could not be created (${error.message}) in`, result);
    return;
  }
  if (error.code === '25001') {
    // "cannot run inside a transaction block" (CREATE INDEX CONCURRENTLY, VACUUM): run it on its own.
    await db.exec('commit');
    const again = await tryExec(db, statement.text, false);
    await db.exec('begin');
    if (!again) {
      result.applied++;
      return;
    }
    return reject(file, statement, again, result);
  }
  reject(file, statement, error, result);
}

/**
 * SQLSTATEs of an extension the server has but will not create here: not supported, files
 * missing, no privilege, wrong database or preload state. Any other error is the migration's own.
 */
const EXTENSION_REFUSED = new Set(['0A000', '58P01', '42501', '55000', 'XX000']);

async function standInForExtension(db: VerifyDatabase, statement: Statement, name: string, why: string, result: ReplayResult): Promise<void> {
  result.skipped++;
  result.missingExtensions.push(name);
  const stub = extensionStub(name);
  if (stub) await tryExec(db, stub);
  result.findings.push(
    finding(statement, 'info', `extension "${name}" ${why} ${db.label}; the statement was skipped${stub ? ' and stand-ins for its schema and functions were created' : ''} — statements that need it may be reported as errors`),
  );
}

function reject(file: ParsedFile, statement: Statement, error: PgError, result: ReplayResult): void {
  result.rejected.push(statement);
  const at = errorPosition(file, statement, error);
  // "Failing row contains (…)" repeats the migration's data (an e-mail, a pasted key): the message
  // already names the column, so the row is left out, and whatever Postgres quotes is masked.
  const detail = error.detail && !/^Failing row contains/.test(error.detail) ? error.detail : undefined;
  const extra = [detail, error.hint ? `hint: ${error.hint}` : undefined].filter(Boolean).join('; ');
  result.findings.push({
    ...finding(statement, 'error', maskSecretsIn(`Postgres rejected this statement: ${error.message}${error.code ? ` (SQLSTATE ${error.code})` : ''}${extra ? ` — ${extra}` : ''}`)),
    ...at,
  });
}

/** Runs SQL inside a savepoint; returns Postgres's error (after rolling back to the savepoint) or undefined. */
async function tryExec(db: VerifyDatabase, sql: string, inTransaction = true): Promise<PgError | undefined> {
  if (!inTransaction) {
    try {
      await db.exec(sql);
      return undefined;
    } catch (error) {
      return asPgError(error);
    }
  }
  try {
    // One round trip: when the statement fails, the rest of the string does not run and the
    // savepoint is still there to roll back to. The newlines keep a trailing `--` comment of
    // the statement from swallowing the release.
    await db.exec(`savepoint supagate_stmt;\n${sql}\n;\nrelease savepoint supagate_stmt`);
    return undefined;
  } catch (error) {
    await db.exec('rollback to savepoint supagate_stmt; release savepoint supagate_stmt');
    return asPgError(error);
  }
}

function asPgError(error: unknown): PgError {
  if (error && typeof error === 'object' && 'message' in error) return error as PgError;
  return { message: String(error) };
}

/** The error's own position (Postgres counts characters from 1 in the statement) mapped to the file. */
function errorPosition(file: ParsedFile, statement: Statement, error: PgError): { line: number; column: number; endLine: number; endColumn: number } {
  const first = statement.text.split(/\r?\n|\r/)[0] ?? '';
  const whole = { line: statement.line, column: statement.column, endLine: statement.line, endColumn: statement.column + Math.max(1, first.length) };
  const position = Number(error.position);
  if (!Number.isInteger(position) || position < 1) return whole;
  const chars = Array.from(statement.text);
  if (position > chars.length) return whole;
  const unit = chars.slice(0, position - 1).join('').length;
  const at = file.map.position(statement.start + unit);
  const rest = statement.text.slice(unit).match(/^[\w$."]+/)?.[0].length ?? 1;
  return { line: at.line, column: at.column, endLine: at.line, endColumn: at.column + Math.max(1, rest) };
}

function finding(statement: Statement, severity: 'error' | 'info', message: string): Finding {
  const first = statement.text.split(/\r?\n|\r/)[0] ?? '';
  return {
    ruleId: `${RULE_PREFIX}migration-error`,
    severity,
    gate: 'migration',
    file: statement.file,
    line: statement.line,
    column: statement.column,
    endLine: statement.line,
    endColumn: statement.column + Math.max(1, first.length),
    message,
  };
}
