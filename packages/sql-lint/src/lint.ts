import { isSqlParserLoaded, loadSqlParser } from './parse/parser.js';
import { parseMigrationFile, type AstNode, type ParsedFile, type SourceRef, type Statement } from './parse/statements.js';
import { findSuppressions, VERIFY_RULES, type Suppression } from './parse/suppressions.js';
import { Replayer } from './model/replay.js';
import { createModel, type SchemaModel } from './model/schema.js';
import { modelRules, sqlRules } from './rules/index.js';
import { resolveOptions, type CheckedFile, type RuleContext } from './rules/rule.js';
import type { Diagnostic, MigrationFile, RuleSetting, Severity, SqlLintOptions } from './types.js';

export interface LintResult {
  diagnostics: Diagnostic[];
  model: SchemaModel;
}

/**
 * Lints a migration history: sorts the files like Supabase (by file name, i.e. version prefix),
 * parses them, replays them into a schema model, runs the rules and applies suppressions.
 */
export async function lintMigrations(files: MigrationFile[], options: SqlLintOptions = {}): Promise<LintResult> {
  await loadSqlParser();
  return lintMigrationsSync(files, options);
}

/** The same as `lintMigrations`, for callers that cannot await (ESLint); `loadSqlParser()` must have resolved. */
export function lintMigrationsSync(files: MigrationFile[], options: SqlLintOptions = {}): LintResult {
  if (!isSqlParserLoaded()) throw new Error('@supagate/sql-lint: `await loadSqlParser()` before `lintMigrationsSync`');
  const resolved = resolveOptions(options);
  const sorted = sortMigrations(files);
  const raw: Diagnostic[] = [];
  const internalError = (at: SourceRef, error: unknown, what: string): void => {
    raw.push(
      toDiagnostic('internal-error', 'error', at, `supagate failed while ${what} (${errorText(error)}); the rest of the history was still checked — please report this.`),
    );
  };

  // One file at a time: parse, replay into the model, read its suppressions, then let its ASTs go.
  // Only the model (and its policy expressions) outlives a file, so the parser's output dies young
  // instead of piling up for the garbage collector until the end of the history.
  const model = createModel();
  const replayer = new Replayer(model, (statement, error) => internalError(statement, error, 'replaying this statement'));
  const checked: CheckedFile[] = [];
  const suppressions = new Map<string, Suppression[]>();
  sorted.forEach((file, i) => {
    let parsed: ParsedFile;
    try {
      parsed = parseMigrationFile(file, i);
    } catch (error) {
      internalError(fileStart(file.path), error, 'parsing this file');
      return;
    }
    const opaqueBefore = model.opaque.length;
    replayer.replayFile(parsed);
    const list = findSuppressions(parsed);
    if (list.length > 0) suppressions.set(parsed.file.path, list);
    releaseAsts(parsed.statements, model.opaque.slice(opaqueBefore));
    checked.push({ file: parsed.file, syntaxError: parsed.syntaxError });
  });

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
  return { diagnostics: sortDiagnostics(dedupe(diagnostics.filter((d) => !only || only.has(d.file)))), model };
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
    for (const s of byFile.get(d.file) ?? []) {
      if (!s.rules.includes(d.ruleId)) continue;
      if (s.scope === 'statement' && !(s.lines && d.line >= s.lines.from && d.line <= s.lines.to)) continue;
      s.used.add(d.ruleId);
      suppressed = true;
    }
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
        const where = s.scope === 'file' ? 'in this file' : s.lines ? 'on the next statement' : 'here: no statement follows it';
        kept.push(toDiagnostic('unused-suppression', severity, s.at, `${directive} ${rule} suppresses nothing ${where} — remove it, so a future problem there is not hidden.`));
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
