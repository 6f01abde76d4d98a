/**
 * The database `supagate verify` replays into: the embedded PGlite, or a throwaway database on a
 * real Postgres (`--database-url`). Both speak the same SQL; the replay, the catalog and the probe
 * only see this interface.
 */
export interface ResultSet<T = Record<string, unknown>> {
  rows: T[];
}

export interface VerifyDatabase {
  /** Shown in messages: "the embedded Postgres (PGlite)" or "the Postgres at postgres://…". */
  readonly label: string;
  /** Runs one or more statements (simple protocol); one result set per statement. */
  exec(sql: string): Promise<ResultSet[]>;
  /** Runs one statement, with `$1…` parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<ResultSet<T>>;
  /** Whether `create extension <name>` can succeed here (its files are installed). */
  hasExtension(name: string): boolean;
  close(): Promise<void>;
}

/** A connection string with its password replaced, safe to print. */
export function maskDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}
