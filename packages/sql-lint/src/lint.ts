import { isSqlParserLoaded, loadSqlParser } from './parse/parser.js';
import { parseMigrationFile, type AstNode, type ParsedFile, type SourceRef, type Statement } from './parse/statements.js';
import { findSuppressions, suppresses, unusedSuppressionMessage, VERIFY_RULES, type Suppression } from './parse/suppressions.js';
import { Replayer } from './model/replay.js';
import { createModel, type SchemaModel } from './model/schema.js';
import { modelRules, sqlRules } from './rules/index.js';
import { resolveOptions, type CheckedFile, type RuleContext } from './rules/rule.js';
import { decodeGraph, encodeGraph, stableJson, textFingerprint, type EncodedGraph } from './snapshot.js';
import type { Diagnostic, MigrationFile, RuleSetting, Severity, SqlLintOptions } from './types.js';

export interface LintResult {
  diagnostics: Diagnostic[];
  model: SchemaModel;
  /** The state after the first `snapshotAt` files, when `LintRun.snapshotAt` asked for one (see there). */
  snapshot?: LintSnapshot;
  /** How many files (from the start of the sorted history) were restored from `resumeFrom` instead of parsed; 0 for a full lint. */
  resumed: number;
}

/**
 * The linter's state after a prefix of the sorted history: the replayed model, and what the prefix's
 * files produced besides (their syntax errors, suppressions and internal errors). Opaque; a plain
 * JSON value, so it can be stored (`JSON.stringify`) and handed back to a later run as `resumeFrom`.
 */
export interface LintSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  /** Options the prefix was linted with (`reportOnly` aside). */
  readonly options: string;
  /** `[path, fingerprint of the text]` of the prefix's files, in history order. */
  readonly files: ReadonlyArray<readonly [string, string]>;
  readonly state: EncodedGraph;
}

/** Incremental linting of a history that only grew or changed at its end. */
export interface LintRun {
  /**
   * A snapshot from an earlier run. When the sorted history still starts with exactly its files
   * (same paths, same texts) and the options are the same, its state is restored and only the
   * files after it are parsed and replayed; the result is the same as a full lint's. Otherwise it
   * is ignored and the whole history is linted.
   */
  resumeFrom?: LintSnapshot;
  /**
   * Take a snapshot after the first `snapshotAt` files of the sorted history (clamped to
   * `0…files.length`). Not taken when resuming from a snapshot at or after that point: the
   * snapshot given is then still the one to keep.
   */
  snapshotAt?: number;
}

/** Bumped whenever what a snapshot holds, or how the replay reads it, changes. */
const SNAPSHOT_FORMAT = 'supagate-lint-snapshot/1';

/** What survives a prefix of the history (the graph `LintSnapshot.state` encodes). */
interface PrefixState {
  model: SchemaModel;
  /** `checked`, with files as their index in the sorted history. */
  checked: Array<{ index: number; syntaxError: CheckedFile['syntaxError'] }>;
  suppressions: Map<string, Suppression[]>;
  raw: Diagnostic[];
}

/**
 * Lints a migration history: sorts the files like Supabase (by file name, i.e. version prefix),
 * parses them, replays them into a schema model, runs the rules and applies suppressions.
 */
export async function lintMigrations(files: MigrationFile[], options: SqlLintOptions = {}, run: LintRun = {}): Promise<LintResult> {
  await loadSqlParser();
  return lintMigrationsSync(files, options, run);
}

/** The same as `lintMigrations`, for callers that cannot await (ESLint); `loadSqlParser()` must have resolved. */
export function lintMigrationsSync(files: MigrationFile[], options: SqlLintOptions = {}, run: LintRun = {}): LintResult {
  if (!isSqlParserLoaded()) throw new Error('@supagate/sql-lint: `await loadSqlParser()` before `lintMigrationsSync`');
  const resolved = resolveOptions(options);
  const sorted = sortMigrations(files);
  const optionsKey = optionsFingerprint(options);
  const restored = run.resumeFrom ? restore(run.resumeFrom, sorted, optionsKey) : undefined;
  const resumed = restored ? restored.checkedUpTo : 0;
  const snapshotAt = run.snapshotAt === undefined ? undefined : Math.max(0, Math.min(sorted.length, Math.floor(run.snapshotAt)));
  let snapshot: LintSnapshot | undefined;
  const raw: Diagnostic[] = restored?.state.raw ?? [];
  const internalError = (at: SourceRef, error: unknown, what: string): void => {
    raw.push(
      toDiagnostic('internal-error', 'error', at, `supagate failed while ${what} (${errorText(error)}); the rest of the history was still checked — please report this.`),
    );
  };

  // One file at a time: parse, replay into the model, read its suppressions, then let its ASTs go.
  // Only the model (and its policy expressions) outlives a file, so the parser's output dies young
  // instead of piling up for the garbage collector until the end of the history.
  const model = restored?.state.model ?? createModel();
  const replayer = new Replayer(model, (statement, error) => internalError(statement, error, 'replaying this statement'));
  const checked: CheckedFile[] = restored?.checked ?? [];
  const suppressions = restored?.state.suppressions ?? new Map<string, Suppression[]>();
  /** Index in `sorted` of each `checked` file (a file the parser threw on has none). */
  const checkedAt: number[] = restored?.state.checked.map((c) => c.index) ?? [];
  const takeSnapshot = (upTo: number): LintSnapshot => ({
    format: SNAPSHOT_FORMAT,
    options: optionsKey,
    files: sorted.slice(0, upTo).map((f) => [f.path, textFingerprint(f.text)] as const),
    state: encodeGraph(
      {
        model,
        checked: checked.map((c, k) => ({ index: checkedAt[k], syntaxError: c.syntaxError })),
        suppressions,
        raw,
      } satisfies PrefixState,
      ENCODE_CONSTANTS,
    ),
  });
  // A snapshot at or before the point resumed from would be the one given, or cannot be had.
  const snapshotWanted = (i: number): boolean => i === snapshotAt && !(restored && i <= resumed);
  for (let i = resumed; i < sorted.length; i++) {
    if (snapshotWanted(i)) snapshot = takeSnapshot(i);
    const file = sorted[i];
    let parsed: ParsedFile;
    try {
      parsed = parseMigrationFile(file, i);
    } catch (error) {
      internalError(fileStart(file.path), error, 'parsing this file');
      continue;
    }
    const opaqueBefore = model.opaque.length;
    replayer.replayFile(parsed);
    const list = findSuppressions(parsed);
    if (list.length > 0) suppressions.set(parsed.file.path, list);
    releaseAsts(parsed.statements, model.opaque.slice(opaqueBefore));
    checked.push({ file: parsed.file, syntaxError: parsed.syntaxError });
    checkedAt.push(i);
  }
  if (snapshotWanted(sorted.length)) snapshot = takeSnapshot(sorted.length);

  for (const rule of modelRules) {
    const severity = severityFor(rule.meta.id, rule.meta.defaultSeverity, options.rules);
    if (severity === undefined) continue;
    let current: SourceRef = fileStart(checked[0]?.file.path ?? '');
    const context: RuleContext = {
      model,
      files: checked,
      options: resolved,
      visiting: (at) => {
        current = at;
      },
      report: (r) => {
        const s = options.rules?.[rule.meta.id] ? severity : (r.severity ?? severity);
        raw.push({ ...toDiagnostic(rule.meta.id, s, r.at, r.message), ...(r.object ? { object: r.object } : {}) });
      },
    };
    try {
      rule.check(context);
    } catch (error) {
      internalError({ ...fileStart(current.file), line: current.line, column: current.column }, error, `running rule ${rule.meta.id}`);
    }
  }

  const diagnostics = applySuppressions(raw, suppressions, options);
  const only = options.reportOnly ? new Set(options.reportOnly) : undefined;
  return { diagnostics: sortDiagnostics(dedupe(diagnostics.filter((d) => !only || only.has(d.file)))), model, ...(snapshot ? { snapshot } : {}), resumed };
}

/** What the state of a prefix depends on besides its files: the options (output filters aside). */
function optionsFingerprint(options: SqlLintOptions): string {
  const { reportOnly: _reportOnly, ...rest } = options;
  return stableJson(rest);
}

/** The snapshot's state when the history starts with its files and the options are the same. */
function restore(
  snapshot: LintSnapshot,
  sorted: MigrationFile[],
  optionsKey: string,
): { state: PrefixState; checked: CheckedFile[]; checkedUpTo: number } | undefined {
  if (snapshot?.format !== SNAPSHOT_FORMAT || snapshot.options !== optionsKey || !Array.isArray(snapshot.files)) return undefined;
  const prefix = snapshot.files;
  if (prefix.length > sorted.length) return undefined;
  for (let i = 0; i < prefix.length; i++) {
    if (prefix[i][0] !== sorted[i].path || prefix[i][1] !== textFingerprint(sorted[i].text)) return undefined;
  }
  let state: PrefixState;
  try {
    state = decodeGraph(snapshot.state, DECODE_CONSTANTS) as PrefixState;
  } catch {
    return undefined;
  }
  // The rules see the caller's file objects, as in a full lint.
  const checked = state.checked.map((c) => ({ file: sorted[c.index], syntaxError: c.syntaxError }));
  return { state, checked, checkedUpTo: prefix.length };
}

/** Supabase applies `supabase/migrations/<version>_<name>.sql` in file-name order. */
export function sortMigrations(files: MigrationFile[]): MigrationFile[] {
  const keyed = files.map((file) => ({ file, base: file.path.slice(file.path.lastIndexOf('/') + 1) }));
  keyed.sort((a, b) => compare(a.base, b.base) || compare(a.file.path, b.file.path));
  return keyed.map((k) => k.file);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function severityFor(id: string, fallback: Severity, rules: Record<string, RuleSetting> | undefined): Severity | undefined {
  const setting = rules?.[id];
  if (setting === undefined) return fallback;
  if (setting === 'off') return undefined;
  return setting === 'warn' ? 'warning' : setting;
}

function toDiagnostic(ruleId: string, severity: Severity, at: SourceRef, message: string): Diagnostic {
  // A statement can span many lines; point at its first line so editors do not paint the whole block.
  const sameLine = at.endLine === at.line;
  const firstLineEnd = 'text' in at && typeof at.text === 'string' ? at.column + (at.text.split(/\r?\n|\r/)[0]?.length ?? 0) : at.column + 1;
  return {
    ruleId,
    severity,
    file: at.file,
    line: at.line,
    column: at.column,
    endLine: at.line,
    endColumn: sameLine ? Math.max(at.endColumn, at.column + 1) : Math.max(firstLineEnd, at.column + 1),
    message,
  };
}

function fileStart(file: string): SourceRef {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const RELEASED: AstNode = Object.freeze({});
const ENCODE_CONSTANTS: ReadonlyMap<object, string> = new Map([[RELEASED, 'released']]);
const DECODE_CONSTANTS: ReadonlyMap<string, object> = new Map([['released', RELEASED]]);

/**
 * Drops the AST of a replayed file's statements. The model keeps statements as positions
 * (`createdAt`, `changedAt`, …) and the policy expressions it needs; only `opaque` statements are
 * handed out whole.
 */
function releaseAsts(statements: Statement[], opaque: Statement[]): void {
  for (const s of statements) if (!opaque.includes(s)) s.node = RELEASED;
}

function applySuppressions(diagnostics: Diagnostic[], byFile: Map<string, Suppression[]>, options: SqlLintOptions): Diagnostic[] {
  if (byFile.size === 0) return diagnostics;
  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    let suppressed = false;
    // Every matching suppression is marked used, not only the first.
    for (const s of byFile.get(d.file) ?? []) if (suppresses(s, d.ruleId, d.line)) suppressed = true;
    if (!suppressed) kept.push(d);
  }
  const severity = severityFor('unused-suppression', 'warning', options.rules);
  if (severity === undefined) return kept;
  for (const list of byFile.values()) {
    for (const s of list) {
      const directive = s.scope === 'file' ? 'supagate-ignore-file' : 'supagate-ignore';
      if (s.rules.length === 0) {
        kept.push(toDiagnostic('unused-suppression', severity, s.at, `${directive} names no rule: write \`-- ${directive} <rule> -- reason\`.`));
        continue;
      }
      for (const rule of s.rules) {
        // Reported by `supagate verify` on a live replay: whether it suppresses anything is known there.
        if (s.used.has(rule) || VERIFY_RULES.has(rule)) continue;
        if (!sqlRules[rule]) {
          kept.push(toDiagnostic('unused-suppression', severity, s.at, `${directive} names an unknown rule "${rule}": it suppresses nothing — known rules: ${Object.keys(sqlRules).join(', ')}.`));
          continue;
        }
        if (severityFor(rule, sqlRules[rule].defaultSeverity, options.rules) === undefined) continue;
        kept.push(toDiagnostic('unused-suppression', severity, s.at, unusedSuppressionMessage(s, rule)));
      }
    }
  }
  return kept;
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}\0${d.line}\0${d.column}\0${d.ruleId}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      compare(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compare(a.ruleId, b.ruleId) ||
      compare(a.message, b.message),
  );
}
