import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { GateReport } from '../../src/gate.js';
import { formatJunit } from '../../src/report/junit.js';
import { runCli } from '../helpers.js';
import { clinicReport, handReport, migrationProjectReport, NASTY } from './reports.js';

interface TestCase {
  '@_classname': string;
  '@_name': string;
  failure?: { '@_message': string; '@_type': string; '#text'?: string };
  skipped?: { '@_message': string };
  'system-out'?: string;
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  testcase: TestCase[];
}

/** Parses the way CI test-report readers do: well-formed XML first, then testsuites > testsuite > testcase. */
function parseJunit(xml: string) {
  const valid = XMLValidator.validate(xml);
  expect(valid).toBe(true);
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    trimValues: false,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: true,
    htmlEntities: true,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  }).parse(xml) as { testsuites: { testsuite: Suite[] } & Record<string, string> };
  expect(doc.testsuites.testsuite).toHaveLength(1);
  return { root: doc.testsuites, suite: doc.testsuites.testsuite[0]! };
}

function expectGateCases(report: GateReport, suite: Suite) {
  expect(suite['@_name']).toBe('supagate');
  expect(suite.testcase).toHaveLength(6);
  expect(suite['@_tests']).toBe('6');
  expect(suite['@_failures']).toBe(String(report.gates.filter((g) => g.status === 'fail').length));
  expect(suite['@_skipped']).toBe(String(report.gates.filter((g) => g.status === 'not-applicable').length));
  report.gates.forEach((gate, i) => {
    const tc = suite.testcase[i]!;
    expect(tc['@_name']).toContain(gate.title);
    expect(tc['@_classname']).toBe('supagate');
    expect(tc.failure !== undefined).toBe(gate.status === 'fail');
    expect(tc.skipped !== undefined).toBe(gate.status === 'not-applicable');
    if (tc.failure) {
      // The failure lists exactly the gate's error-level findings, one per line.
      const listed = (tc.failure['#text'] ?? '').split('\n');
      const errors = report.findings.filter((f) => f.gate === gate.id && f.severity === 'error');
      expect(listed).toHaveLength(errors.length);
      errors.forEach((f, n) => expect(listed[n]).toContain(`${f.file}:${f.line}:${f.column} error ${f.ruleId}: `));
    }
  });
}

describe('--format junit', () => {
  it('has one test case per gate for the clinic-app run, failures listing the error findings', async () => {
    const report = await clinicReport();
    const { suite } = parseJunit(formatJunit(report, { cwd: report.root }));
    expectGateCases(report, suite);
    expect(suite.testcase.some((tc) => tc.failure)).toBe(true);
  });

  it('marks not-applicable gates skipped and keeps warnings out of the failure', async () => {
    const { report, root } = await migrationProjectReport();
    const { suite } = parseJunit(formatJunit(report, { cwd: root }));
    expectGateCases(report, suite);
    expect(suite.testcase.filter((tc) => tc.skipped)).toHaveLength(report.gates.filter((g) => g.status === 'not-applicable').length);
    const migration = suite.testcase[report.gates.findIndex((g) => g.id === 'migration')]!;
    expect(migration['system-out']).toContain('info @supagate/rls-without-policy');
  });

  it('escapes markup and drops characters XML cannot hold, so the text reads back unchanged', () => {
    const { report, root } = handReport();
    const xml = formatJunit(report, { cwd: root });
    expect(XMLValidator.validate(xml.replace('&amp;', '&'))).not.toBe(true); // the check does catch a raw '&'
    const { suite } = parseJunit(xml);
    expectGateCases(report, suite);
    const observability = suite.testcase[report.gates.findIndex((g) => g.id === 'observability')]!;
    // U+0001 is not allowed in XML 1.0 even as a reference: it becomes U+FFFD; everything else survives.
    expect(observability['system-out']).toContain(NASTY.replace('\u0001', '\uFFFD'));
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it('carries a message with quotes and line breaks in an attribute', () => {
    const { report, root } = handReport();
    const gates = report.gates.map((g) => (g.id === 'edge-function' ? { ...g, title: `Edge "function" <b> & 'co'\nline` } : g));
    const { suite } = parseJunit(formatJunit({ ...report, gates }, { cwd: root }));
    expect(suite.testcase[1]!['@_name']).toBe(`Edge "function" <b> & 'co'\nline gate (edge-function)`);
  });

  it('is what `supagate gate --format junit` prints', async () => {
    const { root } = await migrationProjectReport();
    const run = await runCli(['gate', root, '--format', 'junit']);
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const { root: suites } = parseJunit(run.stdout);
    expect(suites['@_name']).toBe('supagate');
  });
});
