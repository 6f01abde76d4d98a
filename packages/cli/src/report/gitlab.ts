import type { FindingSeverity } from '../findings.js';
import type { GateReport } from '../gate.js';
import type { GateId } from '../gates.js';
import { assignFingerprints, ciPath } from './fingerprint.js';

/**
 * GitLab Code Quality report (`artifacts: reports: codequality`): a JSON array of issues with
 * `description`, `check_name`, `fingerprint`, `severity` and `location.path` /
 * `location.lines.begin`. GitLab compares fingerprints between the base and head pipelines
 * to show new and fixed issues in the merge request, so they use the stable scheme of
 * `fingerprint.ts` (SHA-256 hex, no line numbers) — the same value as SARIF's.
 *
 * Severity: GitLab knows `info`, `minor`, `major`, `critical`, `blocker` and uses them to
 * rank and mark issues only. We map error → `major`, warning → `minor`, info → `info`,
 * the mapping ESLint's GitLab formatters use, so a supagate finding ranks like the ESLint
 * findings next to it in the same widget. Gate failure is signalled by the exit code, not
 * by the severity name.
 */
export interface GitlabOptions {
  /** Directory the findings' files are relative to (the scanned root); default `report.root`. */
  rootDir?: string;
  /** Directory GitLab resolves `location.path` against (the checkout root); default `process.cwd()`. */
  cwd?: string;
}

export type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export const GITLAB_SEVERITY: Record<FindingSeverity, GitlabSeverity> = { error: 'major', warning: 'minor', info: 'info' };

/** Code Climate categories (GitLab shows them, ignores unknown ones): the gate's kind of risk. */
const CATEGORY: Record<GateId, string> = {
  plan: 'Bug Risk',
  'edge-function': 'Security',
  migration: 'Security',
  'tenant-isolation': 'Security',
  observability: 'Bug Risk',
  release: 'Bug Risk',
};

export interface CodeQualityIssue {
  type: 'issue';
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitlabSeverity;
  categories: string[];
  location: { path: string; lines: { begin: number; end: number } };
}

export function formatGitlab(report: GateReport, options: GitlabOptions = {}): string {
  const fingerprints = assignFingerprints(report, options.rootDir ?? report.root);
  const issues = report.findings.map(
    (f, i): CodeQualityIssue => ({
      type: 'issue',
      description: f.message,
      check_name: f.ruleId,
      fingerprint: fingerprints[i]!,
      severity: GITLAB_SEVERITY[f.severity],
      categories: [CATEGORY[f.gate]],
      location: {
        path: ciPath(report.root, f.file, options.cwd),
        lines: { begin: Math.max(1, f.line), end: Math.max(1, f.line, f.endLine) },
      },
    }),
  );
  return `${JSON.stringify(issues, null, 2)}\n`;
}
