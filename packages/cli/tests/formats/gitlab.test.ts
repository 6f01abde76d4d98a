import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { runGate } from '../../src/gate.js';
import { formatGitlab } from '../../src/report/gitlab.js';
import { runCli } from '../helpers.js';
import { clinicReport, handReport, migrationProjectReport } from './reports.js';

/**
 * GitLab's Code Quality report format ("Code Quality report format" in GitLab's docs): an array
 * of issues, each with `description`, `check_name`, `fingerprint`, `severity` (one of five) and
 * `location.path` plus `location.lines.begin` (or `location.positions.begin.line`). GitLab ignores
 * other fields. Written out here because GitLab publishes the fields as prose, not as a schema.
 */
const codeQualitySchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path', 'lines'],
        properties: {
          path: { type: 'string', minLength: 1, not: { pattern: '^(/|\\./|\\.\\./)' } },
          lines: {
            type: 'object',
            required: ['begin'],
            properties: { begin: { type: 'integer', minimum: 1 }, end: { type: 'integer', minimum: 1 } },
          },
        },
      },
    },
  },
};
const validate = new Ajv({ allErrors: true }).compile(codeQualitySchema);

interface Issue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end: number } };
}

function parse(text: string): Issue[] {
  const issues = JSON.parse(text) as Issue[];
  const ok = validate(issues);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(ok).toBe(true);
  // GitLab matches issues between pipelines by fingerprint: one issue, one fingerprint.
  expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
  for (const issue of issues) expect(issue.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  return issues;
}

describe('--format gitlab', () => {
  it('is a valid Code Quality report for the clinic-app example', async () => {
    const report = await clinicReport();
    const issues = parse(formatGitlab(report, { cwd: report.root }));
    expect(issues).toHaveLength(report.findings.length);
    issues.forEach((issue, i) => {
      const f = report.findings[i]!;
      expect(issue.check_name).toBe(f.ruleId);
      expect(issue.description).toBe(f.message);
      expect(issue.location.path).toBe(f.file);
      expect(issue.location.lines.begin).toBe(f.line);
    });
  });

  it('maps error → major, warning → minor, info → info and keeps identical lines apart', () => {
    const { report, root } = handReport();
    const issues = parse(formatGitlab(report, { cwd: root }));
    expect(issues.map((i) => i.severity)).toEqual(report.findings.map((f) => ({ error: 'major', warning: 'minor', info: 'info' })[f.severity]));
    expect(issues.filter((i) => i.check_name === '@supagate/no-pii-in-logs')).toHaveLength(2);
    expect(issues.map((i) => i.location.path)).toContain('supabase/functions/notify patient #1/index.ts');
  });

  it('keeps fingerprints when an unrelated line is inserted above (GitLab would otherwise report every issue as new)', async () => {
    const before = await migrationProjectReport();
    const after = await migrationProjectReport('-- comentário novo\n');
    const a = parse(formatGitlab(before.report, { cwd: before.root }));
    const b = parse(formatGitlab(after.report, { cwd: after.root }));
    expect(a.length).toBeGreaterThan(1);
    expect(b.map((i) => i.location.lines.begin)).toEqual(a.map((i) => i.location.lines.begin + 1));
    expect(b.map((i) => i.fingerprint)).toEqual(a.map((i) => i.fingerprint));
  });

  it('changes the fingerprint when the offending line itself changes', async () => {
    const { report, root } = await migrationProjectReport();
    const a = parse(formatGitlab(report, { cwd: root }));
    const edited = report.findings.findIndex((f) => f.ruleId === '@supagate/require-rls');
    const file = path.join(root, 'supabase/migrations/20240101000000_init.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('lembretes (id uuid primary key, texto text)', 'lembretes (id uuid primary key, texto text, lida boolean)'));
    const b = parse(formatGitlab(await runGate(root), { cwd: root }));
    expect(b[edited]!.check_name).toBe('@supagate/require-rls');
    expect(b[edited]!.location.lines.begin).toBe(a[edited]!.location.lines.begin);
    expect(b[edited]!.fingerprint).not.toBe(a[edited]!.fingerprint);
    // The other table's finding did not move or change.
    const other = a.findIndex((i, n) => n !== edited && i.check_name === '@supagate/require-rls');
    expect(b[other]!.fingerprint).toBe(a[other]!.fingerprint);
  });

  it('is what `supagate gate --format gitlab` prints, and an empty array when nothing is found', async () => {
    const { root } = await migrationProjectReport();
    const run = await runCli(['gate', root, '--format', 'gitlab']);
    expect(run.code).toBe(1);
    expect(parse(run.stdout).length).toBeGreaterThan(0);
    const { report } = handReport();
    expect(parse(formatGitlab({ ...report, findings: [] }))).toEqual([]);
  });
});
