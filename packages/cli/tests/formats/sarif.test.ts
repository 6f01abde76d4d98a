import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { GateReport } from '../../src/gate.js';
import { loadRuleCatalog, RULES } from '../../src/gates.js';

await loadRuleCatalog();
import { buildSarif, formatSarif, SARIF_FINGERPRINT_KEY } from '../../src/report/sarif.js';
import { fixture, runCli } from '../helpers.js';
import { clinicReport, handReport, migrationProjectReport, NASTY } from './reports.js';

const SCHEMA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'schemas/sarif-schema-2.1.0.json');
const SCHEMA_SHA256 = '10666d46649b52e262001e70d43e6c52f7c0279ca3dbdfe9a7dc2e4071556454';

/** The official OASIS schema (see schemas/README.md), with the formats it uses checked for real rather than ignored. */
function sarifValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:/i.test(s) && canParse(s));
  ajv.addFormat('uri-reference', (s: string) => !/[\s\\]/.test(s) && !/%(?![0-9A-F]{2})/i.test(s) && canParse(s, 'http://base.invalid/'));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s));
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
}
const validate = sarifValidator();

function canParse(s: string, base?: string): boolean {
  try {
    new URL(s, base);
    return true;
  } catch {
    return false;
  }
}

function expectValid(log: unknown) {
  const ok = validate(log);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

type Sarif = ReturnType<typeof buildSarif>;

/** What GitHub code scanning documents beyond the schema: rule lookup, relative URIs, 1-based regions, helpUri. */
function expectCodeScanningReady(log: Sarif, report: GateReport) {
  expect(log.version).toBe('2.1.0');
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0]!;
  const rules = run.tool.driver.rules;
  expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  for (const rule of rules) {
    expect(rule.id).toMatch(/^@supagate\/[a-z-]+$/);
    expect(rule.helpUri).toMatch(/^https:\/\/.+\.md$/);
    expect(rule.shortDescription.text.length).toBeGreaterThan(0);
  }
  expect(run.results).toHaveLength(report.findings.length);
  run.results.forEach((result, i) => {
    const finding = report.findings[i]!;
    expect(rules[result.ruleIndex]!.id).toBe(result.ruleId);
    expect(result.ruleId).toBe(finding.ruleId);
    expect(result.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[finding.severity]);
    expect(result.properties.gate).toBe(finding.gate);
    const { artifactLocation, region } = result.locations[0]!.physicalLocation;
    expect(artifactLocation.uriBaseId).toBe('%SRCROOT%');
    expect(artifactLocation.uri).not.toMatch(/^(\/|[a-z]+:|\.\.?\/)/i);
    expect(decodeURIComponent(artifactLocation.uri)).toBe(finding.file);
    expect(region.startLine).toBe(finding.line);
    expect(region.startColumn).toBe(finding.column);
    expect(region.startLine).toBeGreaterThanOrEqual(1);
    expect(region.startColumn).toBeGreaterThanOrEqual(1);
    expect(region.endLine).toBeGreaterThanOrEqual(region.startLine);
    if (region.endLine === region.startLine) expect(region.endColumn).toBeGreaterThanOrEqual(region.startColumn);
    expect(result.partialFingerprints[SARIF_FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{64}$/);
  });
}

describe('--format sarif', () => {
  it('uses the schema file that schemas/README.md describes', () => {
    expect(createHash('sha256').update(readFileSync(SCHEMA_FILE)).digest('hex')).toBe(SCHEMA_SHA256);
    // The schema does catch a broken log: a result without a message.
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'r' }] }] })).toBe(false);
  });

  it('is a valid SARIF 2.1.0 log for the clinic-app example, ready for code scanning', async () => {
    const report = await clinicReport();
    expect(report.findings.length).toBeGreaterThan(0);
    const log = JSON.parse(formatSarif(report, { cwd: fixture('clinic-app') })) as Sarif;
    expectValid(log);
    expectCodeScanningReady(log, report);
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('supagate');
    expect(driver.version).toBe(report.version);
    expect(driver.informationUri).toMatch(/^https:\/\//);
    // Every rule of the table is described, whether or not it fired.
    expect(driver.rules.map((r) => r.id)).toEqual(expect.arrayContaining(RULES.map((r) => `@supagate/${r.id}`)));
    const rls = driver.rules.find((r) => r.id === '@supagate/rls-without-policy')!;
    expect(rls.defaultConfiguration.level).toBe('note');
    expect(rls.properties.gate).toBe('migration');
  });

  it('is valid for a hand-built report with every severity, odd file names and a message full of special characters', () => {
    const { report, root } = handReport();
    const log = buildSarif(report, { cwd: root });
    expectValid(log);
    expectCodeScanningReady(log, report);
    const uris = log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('supabase/functions/notify%20patient%20%231/index.ts');
    expect(log.runs[0]!.results.find((r) => r.level === 'warning')!.message.text).toBe(NASTY);
    expect(log.runs[0]!.results.find((r) => r.ruleId === '@supagate/require-rls')!.properties).toEqual({ gate: 'migration', object: 'public.notes' });
    // Two findings on identical lines are told apart by their occurrence index.
    const pii = log.runs[0]!.results.filter((r) => r.ruleId === '@supagate/no-pii-in-logs').map((r) => r.partialFingerprints[SARIF_FINGERPRINT_KEY]);
    expect(pii).toHaveLength(2);
    expect(pii[0]).not.toBe(pii[1]);
  });

  it('is valid with no findings at all', () => {
    const { report, root } = handReport();
    const empty: GateReport = { ...report, findings: [], summary: { ...report.summary, errors: 0, warnings: 0 } };
    const log = buildSarif(empty, { cwd: root });
    expectValid(log);
    expect(log.runs[0]!.results).toEqual([]);
  });

  it('keeps partialFingerprints when an unrelated line is inserted above, while line numbers move', async () => {
    const before = await migrationProjectReport();
    const after = await migrationProjectReport('-- lembretes e anexos: tabelas novas\n\n');
    const a = buildSarif(before.report, { cwd: before.root }).runs[0]!.results;
    const b = buildSarif(after.report, { cwd: after.root }).runs[0]!.results;
    expect(a.length).toBeGreaterThan(1);
    expect(b.map((r) => r.locations[0]!.physicalLocation.region.startLine)).toEqual(a.map((r) => r.locations[0]!.physicalLocation.region.startLine + 2));
    expect(b.map((r) => r.partialFingerprints)).toEqual(a.map((r) => r.partialFingerprints));
    expect(new Set(a.map((r) => r.partialFingerprints[SARIF_FINGERPRINT_KEY])).size).toBe(a.length);
  });

  it('locates files relative to the working directory when the scanned root is a subfolder', () => {
    const { report, root } = handReport();
    const log = buildSarif({ ...report, root: path.basename(root) }, { rootDir: root, cwd: path.dirname(root) });
    const uri = log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri;
    expect(uri.startsWith(`${encodeURIComponent(path.basename(root))}/`)).toBe(true);
    expectValid(log);
  });

  it('is what `supagate gate --format sarif --output FILE` writes', async () => {
    const { root } = await migrationProjectReport();
    const out = path.join(root, 'supagate.sarif');
    const run = await runCli(['gate', root, '--format', 'sarif', '--output', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const log = JSON.parse(readFileSync(out, 'utf8'));
    expectValid(log);
    expect(log.runs[0].results.length).toBeGreaterThan(0);
  });
});
