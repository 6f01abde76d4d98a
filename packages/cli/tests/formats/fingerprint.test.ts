import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings.js';
import { assignFingerprints, ciPath, fingerprintFinding, normalizeLine } from '../../src/report/fingerprint.js';
import { buildSarif } from '../../src/report/sarif.js';
import { tempProject } from '../helpers.js';
import { handReport } from './reports.js';

const finding = (line: number, over: Partial<Finding> = {}): Finding => ({
  ruleId: '@supagate/no-pii-in-logs',
  severity: 'error',
  gate: 'edge-function',
  file: 'supabase/functions/x/index.ts',
  line,
  column: 3,
  endLine: line,
  endColumn: 20,
  message: 'logs `user.email` (e-mail) — log an id or mask it',
  ...over,
});

describe('stable fingerprints (shared by SARIF, GitLab and the baseline)', () => {
  it('depend on rule, file, line text and occurrence, not on the line number or indentation', () => {
    const root = tempProject({ 'supabase/functions/x/index.ts': 'a\n  console.log(user.email)\n' });
    const moved = tempProject({ 'supabase/functions/x/index.ts': 'a\n// new\n\n\tconsole.log(user.email)   \n' });
    const a = fingerprintFinding(finding(2), root, 0);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintFinding(finding(4), moved, 0)).toBe(a);
    expect(fingerprintFinding(finding(2), root, 1)).not.toBe(a);
    expect(fingerprintFinding(finding(2, { ruleId: '@supagate/require-structured-logs' }), root, 0)).not.toBe(a);
    expect(fingerprintFinding(finding(2, { file: 'supabase/functions/y/index.ts' }), root, 0)).not.toBe(a);
    expect(normalizeLine('\uFEFF  select  1 ;\t')).toBe('select 1 ;');
  });

  it('fall back to the message when the file or line cannot be read', () => {
    const root = tempProject({ 'supabase/functions/x/index.ts': 'one line\n' });
    const gone = fingerprintFinding(finding(40), root, 0);
    expect(fingerprintFinding(finding(41), root, 0)).toBe(gone);
    expect(fingerprintFinding(finding(40, { message: 'other' }), root, 0)).not.toBe(gone);
    writeFileSync(path.join(root, 'supabase/functions/x/index.ts'), Buffer.from([0, 1, 2, 10, 0]));
    expect(fingerprintFinding(finding(1), root, 0)).toBe(fingerprintFinding(finding(2), root, 0));
  });

  it('number identical lines in report order for a whole report', () => {
    const root = tempProject({ 'supabase/functions/x/index.ts': 'console.log(user.email)\nconsole.log(user.email)\nconsole.log(user.email)\n' });
    const report = { root, findings: [finding(1), finding(2), finding(3)] };
    const prints = assignFingerprints(report);
    expect(prints).toEqual([0, 1, 2].map((n, i) => fingerprintFinding(finding(i + 1), root, n)));
    expect(new Set(prints).size).toBe(3);
  });

  it('give CI paths relative to the working directory, never absolute', () => {
    expect(ciPath('.', 'supabase/a.sql', '/repo')).toBe('supabase/a.sql');
    expect(ciPath('apps/api', 'supabase/a.sql', '/repo')).toBe('apps/api/supabase/a.sql');
    expect(ciPath('/repo/apps/api', 'supabase/a.sql', '/repo')).toBe('apps/api/supabase/a.sql');
    expect(ciPath('/elsewhere', 'supabase/a.sql', '/repo')).toBe('supabase/a.sql');
  });
});

describe('SARIF rule table', () => {
  it('adds a rule a finding names that the table lacks, so ruleIndex always resolves', () => {
    const { report, root } = handReport();
    const odd = { ...report.findings[0]!, ruleId: '@supagate/not-yet-in-the-table', severity: 'warning' as const };
    const log = buildSarif({ ...report, findings: [odd] }, { cwd: root });
    const result = log.runs[0]!.results[0]!;
    const rule = log.runs[0]!.tool.driver.rules[result.ruleIndex]!;
    expect(rule.id).toBe('@supagate/not-yet-in-the-table');
    expect(rule.defaultConfiguration.level).toBe('warning');
  });
});
