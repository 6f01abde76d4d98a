import { describe, expect, it } from 'vitest';
import { compareFindings, type Finding } from '../../src/findings.js';
import type { GateReport } from '../../src/gate.js';
import { codeSpan, escapeMarkdown, formatMarkdown } from '../../src/report/markdown.js';
import { docsUrl } from '../../src/report/stylish.js';
import { runCli } from '../helpers.js';
import { clinicReport, handReport, migrationProjectReport, NASTY } from './reports.js';

/**
 * A GitHub-Flavored-Markdown table as GitHub reads it: a header row, a delimiter row, then body
 * rows until a line that is not a row; cells split on `|` not preceded by a backslash.
 */
function gateTable(md: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| Gate |'));
  expect(start).toBeGreaterThan(0);
  expect(lines[start + 1]).toMatch(/^\|( *:?-+:? *\|)+$/);
  const rows: string[][] = [];
  for (let i = start; i < lines.length && lines[i]!.startsWith('|'); i++) {
    if (i === start + 1) continue;
    rows.push(cells(lines[i]!));
  }
  return rows;
}

function cells(row: string): string[] {
  return row
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** What CommonMark renders from backslash escapes: the punctuation itself. */
function unescapeMarkdown(s: string): string {
  return s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

const listItems = (md: string) => md.split('\n').filter((l) => l.startsWith('- '));

describe('--format markdown', () => {
  it('titles the verdict and has a gate table of six rows of four cells', async () => {
    const report = await clinicReport();
    const md = formatMarkdown(report, { cwd: report.root });
    expect(md).toMatch(/^<!-- supagate-report -->\n## ❌ supagate: gate failed\n/);
    const [header, ...rows] = gateTable(md);
    expect(header).toEqual(['Gate', 'Status', 'Errors', 'Warnings']);
    expect(rows).toHaveLength(6);
    rows.forEach((row, i) => {
      const gate = report.gates[i]!;
      expect(row).toHaveLength(4);
      expect(row[0]).toBe(gate.title);
      expect(row[1]).toContain(gate.status === 'not-applicable' ? 'not applicable' : gate.status);
      if (gate.status !== 'not-applicable') expect(row.slice(2)).toEqual([String(gate.errors), String(gate.warnings)]);
    });
    // Every finding is listed (fewer than the cap) with file:line and its rule's docs link.
    const items = listItems(md);
    expect(items).toHaveLength(report.findings.length);
    for (const f of report.findings) {
      expect(items.some((l) => l.includes(`\`${f.file}:${f.line}\``) && l.includes(`(${docsUrl(f.ruleId)})`))).toBe(true);
    }
  });

  it('groups findings by gate, then file, and escapes pipes and backticks in messages', () => {
    const { report, root } = handReport();
    const md = formatMarkdown(report, { cwd: root });
    const headings = md.split('\n').filter((l) => l.startsWith('#### '));
    expect(headings).toEqual(['#### Edge function', '#### Migration', '#### Observability']);
    const nasty = listItems(md).find((l) => l.includes('require-structured-logs'))!;
    expect(nasty).toContain(escapeMarkdown(NASTY));
    // No raw pipe or backtick of the message survives: only our own code spans use backticks.
    const message = nasty.slice(nasty.indexOf(' — ') + 3, nasty.lastIndexOf(' (['));
    expect(message).not.toMatch(/(?<!\\)[|`<]/);
    expect(unescapeMarkdown(message)).toBe(NASTY.replace(/\r\n/g, ' '));
    expect(md).toContain('**`supabase/functions/notify patient #1/index.ts`**');
    // Not-applicable gates show dashes, not zeros that read as "checked".
    const tenant = gateTable(md).find((r) => r[0] === 'Tenant isolation')!;
    expect(tenant).toEqual(['Tenant isolation', '➖ not applicable', '–', '–']);
  });

  it('caps the list at 50, errors first, with a "…and N more" line', () => {
    const { report } = handReport();
    const many: Finding[] = [];
    for (let i = 1; i <= 60; i++) {
      many.push({ ruleId: '@supagate/require-structured-logs', severity: 'warning', gate: 'observability', file: 'supabase/functions/a/index.ts', line: i, column: 1, endLine: i, endColumn: 2, message: `aviso ${i}` });
      many.push({ ruleId: '@supagate/require-rls', severity: 'error', gate: 'migration', file: 'supabase/migrations/1_init.sql', line: i, column: 1, endLine: i, endColumn: 2, message: `erro ${i}` });
    }
    many.sort(compareFindings);
    const big: GateReport = { ...report, findings: many };
    const md = formatMarkdown(big);
    const items = listItems(md);
    expect(items).toHaveLength(50);
    expect(items.every((l) => l.startsWith('- ❌'))).toBe(true);
    expect(md).toContain('…and 70 more finding(s)');
    expect(listItems(formatMarkdown(big, { maxFindings: 100 }))).toHaveLength(100);
  });

  it('says the gate passed and lists nothing when there are no findings', () => {
    const { report } = handReport();
    const md = formatMarkdown({ ...report, findings: [], summary: { ...report.summary, errors: 0, warnings: 0 } });
    expect(md).toContain('## ✅ supagate: gate passed');
    expect(md).not.toContain('### Findings');
    expect(gateTable(md)).toHaveLength(7);
  });

  it('makes code spans that hold backticks', () => {
    expect(codeSpan('plain')).toBe('`plain`');
    expect(codeSpan('a`b')).toBe('`` a`b ``');
  });

  it('is what `supagate gate --format markdown` prints', async () => {
    const { root } = await migrationProjectReport();
    const run = await runCli(['gate', root, '--format', 'markdown']);
    expect(run.code).toBe(1);
    expect(gateTable(run.stdout)).toHaveLength(7);
    expect(listItems(run.stdout).length).toBeGreaterThan(0);
  });
});
