import * as pg from 'libpg-query';
import type { ParseResult, ScanResult } from 'libpg-query';

let loaded: Promise<void> | undefined;
let ready = false;

/** Loads the Postgres parser (WASM). Call once before the synchronous API; later calls are free. */
export function loadSqlParser(): Promise<void> {
  loaded ??= pg.loadModule().then(() => {
    ready = true;
  });
  return loaded;
}

export function isSqlParserLoaded(): boolean {
  return ready;
}

function assertLoaded(): void {
  if (!ready) throw new Error('@supagate/sql-lint: call `await loadSqlParser()` before the synchronous API');
}

/** A parse failure: the message and the 0-based offset in code points where Postgres stopped. */
export class SqlParseError extends Error {
  constructor(
    message: string,
    readonly cursorCodePoint: number,
  ) {
    super(message);
  }
}

export function parseSql(sql: string): ParseResult {
  assertLoaded();
  if (sql.trim() === '') return { version: 0, stmts: [] } as ParseResult;
  try {
    return pg.parseSync(sql);
  } catch (error) {
    throw toParseError(error);
  }
}

export function parsePlpgsql(sql: string): unknown {
  assertLoaded();
  try {
    return pg.parsePlPgSQLSync(sql);
  } catch (error) {
    throw toParseError(error);
  }
}

export function scanSql(sql: string): ScanResult {
  assertLoaded();
  return pg.scanSync(sql);
}

function toParseError(error: unknown): unknown {
  if (pg.hasSqlDetails(error) && error.sqlDetails) {
    return new SqlParseError(error.sqlDetails.message || error.message, Math.max(0, error.sqlDetails.cursorPosition ?? 0));
  }
  return error;
}
