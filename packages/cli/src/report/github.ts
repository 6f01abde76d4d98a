import type { Finding, FindingSeverity } from '../findings.js';
import type { GateReport } from '../gate.js';
import { GATES } from '../gates.js';
import { ciPath } from './fingerprint.js';
import { docsUrl } from './stylish.js';

/**
 * GitHub Actions workflow commands: one annotation per finding
 * (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), shown on the
 * pull request's diff, then one plain summary line for the job log.
 */
export interface GithubOptions {
  /** Working directory GitHub resolves `file=` against (the checkout root); default `process.cwd()`. */
  cwd?: string;
}

const COMMAND: Record<FindingSeverity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

export function formatGithub(report: GateReport, options: GithubOptions = {}): string {
  const lines = report.findings.map((f) => annotation(report, f, options.cwd));
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

function annotation(report: GateReport, f: Finding, cwd: string | undefined): string {
  const gate = GATES.find((g) => g.id === f.gate)?.title ?? f.gate;
  const properties: [string, string | number][] = [
    ['file', ciPath(report.root, f.file, cwd)],
    ['line', Math.max(1, f.line)],
    ['col', Math.max(1, f.column)],
    ['endLine', Math.max(f.line, f.endLine, 1)],
    ['endColumn', Math.max(1, f.endColumn)],
    ['title', `${f.ruleId} (${gate} gate)`],
  ];
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${COMMAND[f.severity]} ${props}::${escapeData(`${f.message}\n${docsUrl(f.ruleId)}`)}`;
}

/** Not a command: a line for the log that says the verdict and which gates failed. */
function summaryLine(report: GateReport): string {
  const { errors, warnings } = report.summary;
  const infos = report.findings.filter((f) => f.severity === 'info').length;
  const failed = report.gates.filter((g) => g.status === 'fail').map((g) => g.id);
  const verdict = errors > 0 ? `gate failed (${failed.join(', ')})` : 'gate passed';
  // A line that starts with "::" would be read as a command; this one never does.
  return `supagate: ${verdict}: ${errors} error(s), ${warnings} warning(s), ${infos} info`;
}

/** The message part of a command: `%`, CR and LF are percent-encoded (`%` first). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A `key=value` property: as data, plus `:` and `,`, which would end the value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
