import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatGithub } from '../../src/report/github.js';
import { docsUrl } from '../../src/report/stylish.js';
import { runCli } from '../helpers.js';
import { clinicReport, handReport, migrationProjectReport, NASTY } from './reports.js';

interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
}

/**
 * How the Actions runner reads a line (its ActionCommand parser, documented in "Workflow
 * commands for GitHub Actions"): `::name k=v,k=v::data`, the command info ends at the first
 * `::` after the prefix, properties split on `,` and then on the first `=`, then unescaped —
 * `%0D`, `%0A` (and in properties `%3A`, `%2C`) first, `%25` last.
 */
function parseCommand(line: string): WorkflowCommand | null {
  if (!line.startsWith('::')) return null;
  const end = line.indexOf('::', 2);
  if (end < 0) return null;
  const info = line.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of info.slice(space + 1).split(',')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`malformed property '${pair}' in ${line}`);
      properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), true);
    }
  }
  return { command, properties, data: unescape(line.slice(end + 2), false) };
}

function unescape(s: string, property: boolean): string {
  let out = s.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return out.replace(/%25/g, '%');
}

function parseOutput(text: string) {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  // One command per line: no raw CR or LF inside a command.
  for (const line of lines) expect(line).not.toMatch(/\r/);
  return { commands: lines.map(parseCommand), lines };
}

describe('--format github', () => {
  it('gives one annotation per finding that the runner reads back exactly, then a summary line', () => {
    const { report, root } = handReport();
    const { commands, lines } = parseOutput(formatGithub(report, { cwd: root }));
    expect(commands).toHaveLength(report.findings.length + 1);
    expect(commands.at(-1)).toBeNull();
    expect(lines.at(-1)).toBe('supagate: gate failed (edge-function, migration): 4 error(s), 1 warning(s), 1 info');

    report.findings.forEach((f, i) => {
      const cmd = commands[i]!;
      expect(cmd.command).toBe({ error: 'error', warning: 'warning', info: 'notice' }[f.severity]);
      expect(cmd.properties).toEqual({
        file: f.file,
        line: String(f.line),
        col: String(f.column),
        endLine: String(f.endLine),
        endColumn: String(f.endColumn),
        title: expect.stringContaining(f.ruleId),
      });
      expect(cmd.data).toBe(`${f.message}\n${docsUrl(f.ruleId)}`);
    });
    // The message with %, CR, LF, ':' and ',' round-trips through the escaping.
    expect(commands.some((c) => c?.data.startsWith(NASTY))).toBe(true);
  });

  it('escapes ":" and "," in properties, so a file name cannot end a value or add a property', () => {
    const { report, root } = handReport();
    const odd = { ...report.findings[0]!, file: 'supabase/functions/a,b:c%d/index.ts' };
    const { commands } = parseOutput(formatGithub({ ...report, findings: [odd] }, { cwd: root }));
    expect(commands[0]!.properties.file).toBe('supabase/functions/a,b:c%d/index.ts');
    expect(Object.keys(commands[0]!.properties)).toEqual(['file', 'line', 'col', 'endLine', 'endColumn', 'title']);
  });

  it('names files relative to the working directory (the checkout), not the scanned root', () => {
    const { report, root } = handReport();
    const sub = path.basename(root);
    const { commands } = parseOutput(formatGithub({ ...report, root: sub }, { cwd: path.dirname(root) }));
    expect(commands[0]!.properties.file).toBe(`${sub}/${report.findings[0]!.file}`);
  });

  it('annotates the clinic-app run and passes a clean run with a summary only', async () => {
    const report = await clinicReport();
    const { commands } = parseOutput(formatGithub(report, { cwd: report.root }));
    const errors = commands.filter((c) => c?.command === 'error');
    expect(errors).toHaveLength(report.summary.errors);
    for (const c of commands.slice(0, -1)) {
      expect(Number(c!.properties.line)).toBeGreaterThanOrEqual(1);
      expect(c!.properties.file).not.toMatch(/^\//);
    }
    const clean = formatGithub({ ...report, findings: [], summary: { ...report.summary, errors: 0, warnings: 0 } });
    expect(clean).toBe('supagate: gate passed: 0 error(s), 0 warning(s), 0 info\n');
  });

  it('is what `supagate gate --format github` prints', async () => {
    const { root } = await migrationProjectReport();
    const run = await runCli(['gate', root, '--format', 'github']);
    expect(run.code).toBe(1);
    const { commands } = parseOutput(run.stdout);
    expect(commands.filter((c) => c?.command === 'error').length).toBeGreaterThan(0);
    expect(commands.at(-1)).toBeNull();
  });
});
