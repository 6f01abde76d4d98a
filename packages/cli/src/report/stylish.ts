import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DOCS_BASE_URL, maskSecret, maskSecretsIn } from '@supagate/eslint-plugin/light';
import type { Finding } from '../findings.js';
import type { GateReport, GateResult } from '../gate.js';
import { bareRuleId, GATES } from '../gates.js';
import type { Palette } from './colors.js';

/**
 * The terminal report: the six gates as a checklist a reviewer reads in seconds,
 * then each finding with a clickable `file:line:col`, a one-line code frame and its docs.
 */
export function formatStylish(report: GateReport, rootDir: string, c: Palette): string {
  const out: string[] = [];
  out.push(c.bold(`supagate ${report.version} — ${report.root}`), '');
  for (const gate of report.gates) out.push(gateLine(gate, c));
  out.push('');
  out.push(...integrationMap(report, c));

  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const sources = new Map<string, string[] | null>();
  for (const [file, findings] of byFile) {
    out.push(c.bold(file));
    for (const f of findings) {
      const where = `${displayPath(report.root, file)}:${f.line}:${f.column}`;
      const sev = f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warn ') : c.cyan('info ');
      out.push(`  ${sev} ${where}  ${f.message}`);
      const frame = codeFrame(sources, rootDir, file, f, c);
      if (frame) out.push(frame);
      out.push(c.dim(`        ${f.ruleId}  ${docsUrl(f.ruleId)}`));
    }
    out.push('');
  }

  const { errors, warnings, files, durationMs } = report.summary;
  const infos = report.findings.filter((f) => f.severity === 'info').length;
  const verdict = errors > 0 ? c.red(c.bold('✖ gate failed')) : c.green(c.bold('✔ gate passed'));
  out.push(`${verdict}: ${errors} error(s), ${warnings} warning(s), ${infos} info in ${files} file(s) (${durationMs} ms)`);
  return `${out.join('\n')}\n`;
}

function gateLine(gate: GateResult, c: Palette): string {
  const def = GATES.find((g) => g.id === gate.id)!;
  const mark = gate.status === 'fail' ? c.red('✖') : gate.status === 'pass' ? c.green('✔') : c.dim('–');
  const counts =
    gate.status === 'not-applicable'
      ? c.dim('not applicable')
      : `${gate.errors} error(s), ${gate.warnings} warning(s)`;
  return `  ${mark} ${def.title.padEnd(17)} ${counts}`;
}

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${bareRuleId(ruleId)}.md`;
}

/** Paths relative to the current directory so terminals and editors can open them. */
function displayPath(root: string, file: string): string {
  const joined = path.join(root, file);
  return joined.split(path.sep).join('/');
}

function codeFrame(cache: Map<string, string[] | null>, rootDir: string, file: string, f: Finding, c: Palette): string | null {
  if (!cache.has(file)) {
    try {
      cache.set(file, readFileSync(path.join(rootDir, file), 'utf8').split(/\r?\n/));
    } catch {
      cache.set(file, null);
    }
  }
  const lines = cache.get(file);
  const source = lines?.[f.line - 1];
  if (source === undefined) return null;
  const { text, endColumn } = redact(source, f);
  const clipped = text.length > 160 ? `${text.slice(0, 157)}...` : text;
  const gutter = `${String(f.line).padStart(6)} | `;
  const width = f.endLine === f.line ? Math.max(1, Math.min(endColumn - f.column, clipped.length - f.column + 1)) : 1;
  const caret = `${' '.repeat(6)} | ${' '.repeat(Math.max(0, f.column - 1))}${'^'.repeat(Math.max(1, width))}`;
  return `${c.dim(gutter)}${clipped}\n${c.red(caret)}`;
}

function integrationMap(report: GateReport, c: Palette): string[] {
  const { functions, secrets } = report.inventory;
  if (functions.length === 0) return [];
  const out = [c.bold('Integration map')];
  const width = Math.min(28, Math.max(...functions.map((f) => f.name.length)));
  for (const f of functions) {
    const parts = [
      f.handler.length > 0 ? [...new Set(f.handler)].join('+') : c.red('no handler found'),
      f.verifyJwt ? 'verify_jwt on' : c.yellow('public (verify_jwt = false)'),
      f.verification.length > 0 ? `verifies: ${f.verification.join(', ')}` : 'verifies: —',
    ];
    if (f.clients.includes('service-role')) parts.push(c.yellow('service role'));
    out.push(`  ${f.name.padEnd(width)}  ${parts.join(' · ')}`);
    const detail = [
      f.tablesWritten.length > 0 ? `writes ${f.tablesWritten.join(', ')}` : '',
      f.tablesRead.length > 0 ? `reads ${f.tablesRead.join(', ')}` : '',
      f.rpc.length > 0 ? `rpc ${f.rpc.join(', ')}` : '',
      f.hosts.length > 0 ? `calls ${f.hosts.join(', ')}` : '',
      f.secrets.length > 0 ? `secrets ${f.secrets.join(', ')}` : '',
    ].filter(Boolean);
    if (detail.length > 0) out.push(c.dim(`  ${' '.repeat(width)}  ${detail.join(' · ')}`));
  }
  out.push('');
  if (secrets.read.length > 0) {
    out.push(c.bold('Secrets to set before deploying') + c.dim(' (names only)'));
    out.push(`  supabase secrets set ${secrets.read.map((name) => `${name}=…`).join(' ')}`);
    if (secrets.undeclared.length > 0) {
      out.push(c.yellow(`  not declared in ${secrets.declarationFile ?? 'supabase/functions/.env.example (missing)'}: ${secrets.undeclared.join(', ')}`));
    }
    out.push('');
  }
  return out;
}

const SECRET_RULES = new Set(['no-hardcoded-secrets', 'no-service-role-in-client']);

/**
 * The code frame must never show a secret whole: the span a secret rule points at is
 * masked (`'sk_live_…9f2c'`), and so is anything else on the line that looks like a secret.
 */
function redact(line: string, f: Finding): { text: string; endColumn: number } {
  let text = line;
  let endColumn = f.endColumn;
  if (SECRET_RULES.has(bareRuleId(f.ruleId)) && f.endLine === f.line && f.endColumn > f.column) {
    const span = line.slice(f.column - 1, f.endColumn - 1);
    const quoted = /^(['"`])([\s\S]*)\1$/.exec(span);
    const masked = quoted ? `${quoted[1]}${maskSecret(quoted[2])}${quoted[1]}` : span.length >= 16 && !/[\s(.]/.test(span) ? maskSecret(span) : span;
    text = line.slice(0, f.column - 1) + masked + line.slice(f.endColumn - 1);
    endColumn = f.column + masked.length;
  }
  return { text: maskSecretsIn(text), endColumn };
}
