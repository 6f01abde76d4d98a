import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../findings.js';
import type { GateReport } from '../gate.js';

/**
 * A finding's identity that survives unrelated edits: the rule, the file, the offending
 * line's text (whitespace-normalized) and which occurrence of that same text it is —
 * never the line number, so inserting a line above does not change it. SARIF's
 * `partialFingerprints`, GitLab's `fingerprint` and the baseline all use this one scheme.
 *
 * The source line goes into a SHA-256 hash only; it is never printed.
 */
export const FINGERPRINT_VERSION = 'v1';

/** Lines of the files already read, by path relative to the scanned root (`null`: unreadable). */
export type SourceCache = Map<string, string[] | null>;

/** Whitespace-insensitive text of a source line: indentation and reflowed spaces are not a change. */
export function normalizeLine(text: string): string {
  return text.replace(/^\uFEFF/, '').trim().replace(/\s+/g, ' ');
}

/** The normalized text of the finding's first line, or `null` when the file or line cannot be read. */
export function offendingLine(finding: Finding, rootDir: string, cache: SourceCache = new Map()): string | null {
  if (!cache.has(finding.file)) {
    let lines: string[] | null = null;
    try {
      const text = readFileSync(path.join(rootDir, finding.file), 'utf8');
      // Binary files are unreadable as source: their "lines" would be noise.
      lines = text.includes('\u0000') ? null : text.split(/\r\n|\r|\n/);
    } catch {
      lines = null;
    }
    cache.set(finding.file, lines);
  }
  const line = cache.get(finding.file)?.[finding.line - 1];
  return line === undefined ? null : normalizeLine(line);
}

/**
 * What identifies the finding within its file besides the occurrence index. When the line
 * cannot be read (deleted file, binary, a line past the end) the rule's message stands in.
 */
function identityText(finding: Finding, rootDir: string, cache: SourceCache): string {
  const line = offendingLine(finding, rootDir, cache);
  return line === null ? `message:${finding.message}` : `line:${line}`;
}

/**
 * The stable fingerprint of one finding (64 hex digits). `occurrence` is the 0-based index of
 * this finding among the report's findings with the same rule, file and line text, in report
 * order (file, line, column): two identical `console.log(patient.cpf)` lines stay distinct.
 */
export function fingerprintFinding(finding: Finding, rootDir: string, occurrence: number, cache: SourceCache = new Map()): string {
  return hashIdentity(finding, identityText(finding, rootDir, cache), occurrence);
}

function hashIdentity(finding: Finding, text: string, occurrence: number): string {
  const input = JSON.stringify([FINGERPRINT_VERSION, finding.ruleId, finding.file, text, occurrence]);
  return createHash('sha256').update(input, 'utf8').digest('hex');
}

/**
 * Fingerprints for every finding of a report, in the order of `report.findings`
 * (which is sorted, so occurrence indexes are deterministic). `rootDir` is the scanned root
 * the findings' `file`s are relative to; by default the report's own `root`.
 */
export function assignFingerprints(report: Pick<GateReport, 'findings' | 'root'>, rootDir: string = report.root): string[] {
  const cache: SourceCache = new Map();
  const seen = new Map<string, number>();
  return report.findings.map((finding) => {
    const text = identityText(finding, rootDir, cache);
    const key = JSON.stringify([finding.ruleId, finding.file, text]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return hashIdentity(finding, text, occurrence);
  });
}

/**
 * A finding's path as CI tools want it: relative to the working directory the CLI runs in
 * (the repository checkout in CI), with forward slashes — `supagate gate apps/api` reports
 * `apps/api/supabase/…`. A scanned root outside the working directory falls back to the
 * path relative to the scanned root, never an absolute path.
 */
export function ciPath(root: string, file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, path.resolve(cwd, root, file)).split(path.sep).join('/');
  if (relative === '' || relative === '..' || relative.startsWith('../') || path.isAbsolute(relative)) return file;
  return relative;
}
