import type { ParsedFile, SourceRef } from './statements.js';

/**
 * Rules `supagate verify` reports at migration lines (it replays the history into Postgres):
 * their suppressions are written in migrations like sql-lint's own, and honoured by verify.
 */
export const VERIFY_RULES: ReadonlySet<string> = new Set(['tenant-leak', 'probe-skipped', 'migration-error', 'model-mismatch']);

/** A `-- supagate-ignore` comment. */
export interface Suppression {
  scope: 'statement' | 'file';
  rules: string[];
  reason?: string;
  /** Where the comment is. */
  at: SourceRef;
  /** Lines of the statement it applies to (scope `statement`); undefined when no statement follows. */
  lines?: { from: number; to: number };
  used: Set<string>;
}

const DIRECTIVE = /^(?:--|\/\*)\s*supagate-ignore(-file)?\b(.*)$/s;

export function findSuppressions(file: ParsedFile): Suppression[] {
  const out: Suppression[] = [];
  for (const c of file.comments) {
    if (file.syntaxError && c.start > file.syntaxError.offset) continue;
    const m = DIRECTIVE.exec(c.text.trim());
    if (!m) continue;
    let body = m[2].replace(/\*\/\s*$/, '');
    let reason: string | undefined;
    const sep = body.indexOf('--');
    if (sep >= 0) {
      reason = body.slice(sep + 2).trim() || undefined;
      body = body.slice(0, sep);
    }
    const rules = body
      .split(/[,\s]+/)
      .map((r) => r.trim().replace(/^@supagate\//, ''))
      .filter((r) => r !== '');
    const from = file.map.position(c.start);
    const to = file.map.position(c.end);
    const at: SourceRef = { file: file.file.path, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
    let lines: Suppression['lines'];
    if (!m[1]) {
      const target = file.statements.find((s) => s.end > c.end);
      if (target) lines = { from: target.line, to: target.endLine };
      else if (file.syntaxError && c.end <= file.syntaxError.offset) lines = { from: file.syntaxError.line, to: file.syntaxError.line };
    }
    out.push({ scope: m[1] ? 'file' : 'statement', rules, reason, at, lines, used: new Set() });
  }
  return out;
}

/** Whether the suppression silences `rule` for a finding at `line` of its file (and records it as used). */
export function suppresses(s: Suppression, rule: string, line: number): boolean {
  if (!s.rules.includes(rule)) return false;
  if (s.scope === 'statement' && !(s.lines && line >= s.lines.from && line <= s.lines.to)) return false;
  s.used.add(rule);
  return true;
}

/** The message for a suppression of `rule` that silenced nothing; `context` says which run could tell. */
export function unusedSuppressionMessage(s: Suppression, rule: string, context = ''): string {
  const directive = s.scope === 'file' ? 'supagate-ignore-file' : 'supagate-ignore';
  const where = s.scope === 'file' ? 'in this file' : s.lines ? 'on the next statement' : 'here: no statement follows it';
  return `${directive} ${rule} suppresses nothing ${where}${context} — remove it, so a future problem there is not hidden.`;
}
