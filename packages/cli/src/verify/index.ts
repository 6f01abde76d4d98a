import { readFileSync } from 'node:fs';
import {
  lintMigrations,
  loadSqlParser,
  parseMigrationFile,
  sortMigrations,
  type MigrationFile,
  type ParsedFile,
  type SourceRef,
} from '@supagate/sql-lint';
import { compareFindings, type Finding } from '../findings.js';
import { listMigrations, toRelative, type Project } from '../project.js';
import { compareWithModel, readCatalog } from './catalog.js';
import { probeTenantIsolation, type Membership, type ProbedTable, type SkippedTable } from './probe.js';
import { replayMigrations } from './replay.js';
import { applyVerifySuppressions } from './suppress.js';
import { createSupabaseDatabase } from './supabase-shim.js';

export type { ProbedTable, SkippedTable, Membership, Operation } from './probe.js';

export interface VerifyOptions {
  /** Default `clinic_id`. */
  tenantColumn?: string;
  /** Schema-qualified tenant table (default `public.clinics`). */
  tenantTable?: string;
  /** Default: the project's `[api] schemas`. */
  exposedSchemas?: string[];
  /** SQL that makes `:user_id` a member of `:clinic_id`, for membership the probe cannot detect. */
  membershipSql?: string;
  /** A real Postgres instead of PGlite: the run happens in a throwaway database created (and dropped) there. */
  databaseUrl?: string;
  /** Reuse the initialised Supabase database across runs in this process (tests, watch modes). */
  cacheTemplate?: boolean;
  /** Where to keep the initialised embedded database between runs (the CLI: `node_modules/.cache/supagate`). */
  cacheDir?: string;
}

export interface VerifyStats {
  migrations: number;
  statements: number;
  applied: number;
  rejected: number;
  /** Transaction control and unavailable extensions, not sent to the database. */
  skippedStatements: number;
  missingExtensions: string[];
  durationMs: number;
  /** Where the time went: reading and linting the history, starting the database, replaying, reading the catalog, probing. */
  phasesMs: { lint: number; database: number; replay: number; catalog: number; probe: number };
}

export interface VerifyResult {
  findings: Finding[];
  probed: ProbedTable[];
  skipped: SkippedTable[];
  membership: Membership;
  stats: VerifyStats;
}

/**
 * `supagate verify`: replays the migration history into an embedded Supabase-shaped Postgres,
 * reports statements it rejects, compares its catalog with sql-lint's model, and probes every
 * tenant table for cross-clinic access.
 */
export async function runVerify(project: Project, options: VerifyOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const tenantColumn = options.tenantColumn ?? 'clinic_id';
  const exposedSchemas = options.exposedSchemas ?? project.config.exposedSchemas;

  const files: MigrationFile[] = [];
  for (const file of listMigrations(project)) {
    try {
      const buffer = readFileSync(file);
      if (!buffer.includes(0)) files.push({ path: toRelative(project, file), text: buffer.toString('utf8') });
    } catch {
      // Unreadable migrations are reported by the SQL lint (unreadable-file); nothing to replay.
    }
  }
  await loadSqlParser();
  const sorted = sortMigrations(files);
  const parsed: ParsedFile[] = [];
  sorted.forEach((file, i) => {
    try {
      parsed.push(parseMigrationFile(file, i));
    } catch {
      // sql-lint reports it as an internal error.
    }
  });
  const statements = parsed.flatMap((f) => f.statements);
  const { model } = await lintMigrations(files, { tenantColumn, tenantTable: options.tenantTable, exposedSchemas });
  const locate = (name: string): SourceRef | undefined => {
    const lower = name.toLowerCase();
    return statements.find((s) => s.text.toLowerCase().includes(lower));
  };

  const linted = performance.now();
  const extensions = statements.filter((s) => s.kind === 'CreateExtensionStmt').map((s) => String(s.node.extname ?? ''));
  const db =
    options.databaseUrl !== undefined
      ? await (await import('./postgres.js')).openThrowawayPostgres(options.databaseUrl)
      : await createSupabaseDatabase({ extensions, cacheTemplate: options.cacheTemplate, cacheDir: options.cacheDir });
  const opened = performance.now();
  try {
    const replay = await replayMigrations(db, parsed);
    const replayed = performance.now();
    const catalog = await readCatalog(db, exposedSchemas);
    const read = performance.now();
    const mismatches = compareWithModel(catalog, model, {
      tenantColumn,
      exposedSchemas,
      statements,
      unreliable: [...replay.rejected, ...statements.filter((s) => s.kind === 'CreateExtensionStmt')],
    });
    const probe = await probeTenantIsolation(db, catalog, {
      tenantColumn,
      tenantTable: options.tenantTable,
      membershipSql: options.membershipSql,
      model,
      locate,
    });
    const probed = performance.now();
    return {
      findings: applyVerifySuppressions([...replay.findings, ...mismatches, ...probe.findings], parsed).sort(compareFindings),
      probed: probe.probed,
      skipped: probe.skipped,
      membership: probe.membership,
      stats: {
        migrations: parsed.length,
        statements: statements.length,
        applied: replay.applied,
        rejected: replay.rejected.length,
        skippedStatements: replay.skipped,
        missingExtensions: [...new Set(replay.missingExtensions)].sort(),
        durationMs: Math.round(performance.now() - started),
        phasesMs: {
          lint: Math.round(linted - started),
          database: Math.round(opened - linted),
          replay: Math.round(replayed - opened),
          catalog: Math.round(read - replayed),
          probe: Math.round(probed - read),
        },
      },
    };
  } finally {
    await db.close();
  }
}

export { verifySummary } from './summary.js';
