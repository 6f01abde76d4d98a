import type { Finding, FindingSeverity } from '../findings.js';
import type { GateReport, GateStatus } from '../gate.js';
import { bareRuleId, GATES } from '../gates.js';
import { ciPath } from './fingerprint.js';
import { docsUrl } from './stylish.js';

/**
 * A pull/merge request comment: the verdict as title, the six gates as a table, then the
 * findings grouped by gate and file with `file:line` and a link to the rule's docs. The list
 * is capped (errors first) so a noisy run still fits in one comment.
 */
export interface MarkdownOptions {
  /** Most findings listed; the rest are counted in a "…and N more" line. Default 50. */
  maxFindings?: number;
  /** Directory paths are shown relative to; default `process.cwd()`. */
  cwd?: string;
}

export const DEFAULT_MAX_FINDINGS = 50;
/** Lets a bot find its previous comment and update it instead of adding another. */
export const MARKDOWN_MARKER = '<!-- supagate-report -->';

const STATUS: Record<GateStatus, string> = { pass: '✅ pass', fail: '❌ fail', 'not-applicable': '➖ not applicable' };
const ICON: Record<FindingSeverity, string> = { error: '❌', warning: '⚠️', info: 'ℹ️' };
const RANK: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

export function formatMarkdown(report: GateReport, options: MarkdownOptions = {}): string {
  const max = Math.max(0, options.maxFindings ?? DEFAULT_MAX_FINDINGS);
  const { errors, warnings, files } = report.summary;
  const infos = report.findings.filter((f) => f.severity === 'info').length;
  const out: string[] = [MARKDOWN_MARKER];
  out.push(errors > 0 ? '## ❌ supagate: gate failed' : '## ✅ supagate: gate passed', '');
  out.push(`${errors} error(s), ${warnings} warning(s), ${infos} info in ${files} file(s) — supagate ${escapeMarkdown(report.version)}`, '');

  out.push('| Gate | Status | Errors | Warnings |', '| --- | --- | ---: | ---: |');
  for (const gate of report.gates) {
    const counts = gate.status === 'not-applicable' ? ['–', '–'] : [String(gate.errors), String(gate.warnings)];
    out.push(`| ${escapeMarkdown(gate.title)} | ${STATUS[gate.status]} | ${counts[0]} | ${counts[1]} |`);
  }

  if (report.findings.length > 0) {
    // Errors first when the list must be cut; then shown in report order within gate and file.
    const order = report.findings.map((f, i) => ({ f, i })).sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i);
    const shown = new Set(order.slice(0, max).map((x) => x.i));
    out.push('', '### Findings');
    for (const gate of GATES) {
      const own = report.findings.map((f, i) => ({ f, i })).filter((x) => x.f.gate === gate.id && shown.has(x.i));
      if (own.length === 0) continue;
      out.push('', `#### ${escapeMarkdown(gate.title)}`);
      let file: string | undefined;
      for (const { f } of own) {
        const where = ciPath(report.root, f.file, options.cwd);
        if (where !== file) {
          file = where;
          out.push('', `**${codeSpan(where)}**`, '');
        }
        out.push(findingItem(f, where));
      }
    }
    const hidden = report.findings.length - shown.size;
    if (hidden > 0) {
      out.push('', `…and ${hidden} more finding(s) — run ${codeSpan('supagate gate')} for the full report.`);
    }
  }
  return `${out.join('\n')}\n`;
}

function findingItem(f: Finding, where: string): string {
  const rule = bareRuleId(f.ruleId);
  return `- ${ICON[f.severity]} ${codeSpan(`${where}:${f.line}`)} — ${escapeMarkdown(f.message)} ([${codeSpan(rule)}](${docsUrl(f.ruleId)}))`;
}

/**
 * Text that renders as itself: every Markdown/HTML-significant ASCII punctuation mark is
 * backslash-escaped (CommonMark allows it for any of them) — pipes cannot end a table cell,
 * backticks cannot open code, `<` cannot open HTML, `@` and `#` cannot mention or link —
 * and line breaks become spaces so a message stays one list item.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ').replace(/[\\`*_{}[\]<>|~&#@]/g, '\\$&');
}

/** An inline code span that holds any text: the fence is longer than any backtick run inside. */
export function codeSpan(s: string): string {
  const flat = s.replace(/\r\n|\r|\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || flat.startsWith(' ') || flat.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
