import type { Finding } from '../findings.js';
import type { GateReport, GateResult } from '../gate.js';
import { GATES } from '../gates.js';
import { ciPath } from './fingerprint.js';

/**
 * JUnit XML for CI test tabs (GitLab `reports: junit`, Jenkins, Azure, CircleCI…): one
 * `testsuite` named `supagate`, one `testcase` per gate. A failing gate has one `failure`
 * listing its error-level findings; a gate with nothing to check is `skipped`; warnings
 * and info findings of a gate go to its `system-out`, so they are visible without failing it.
 */
export interface JunitOptions {
  /** Directory paths are shown relative to; default `process.cwd()`. */
  cwd?: string;
}

export function formatJunit(report: GateReport, options: JunitOptions = {}): string {
  const failures = report.gates.filter((g) => g.status === 'fail').length;
  const skipped = report.gates.filter((g) => g.status === 'not-applicable').length;
  const time = (report.summary.durationMs / 1000).toFixed(3);
  const counts = { name: 'supagate', tests: report.gates.length, failures, errors: 0, skipped, time };
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attrs(counts)}>`);
  out.push(`  <testsuite${attrs(counts)}>`);
  for (const gate of report.gates) out.push(...testcase(report, gate, options.cwd));
  out.push('  </testsuite>', '</testsuites>');
  return `${out.join('\n')}\n`;
}

function testcase(report: GateReport, gate: GateResult, cwd: string | undefined): string[] {
  const def = GATES.find((g) => g.id === gate.id);
  const open = `    <testcase${attrs({ classname: 'supagate', name: `${gate.title} gate (${gate.id})` })}`;
  const own = report.findings.filter((f) => f.gate === gate.id);
  const errors = own.filter((f) => f.severity === 'error');
  const others = own.filter((f) => f.severity !== 'error');
  const body: string[] = [];
  if (gate.status === 'not-applicable') {
    body.push(`      <skipped${attrs({ message: 'not applicable: nothing in the project for this gate to check' })}/>`);
  } else if (gate.status === 'fail') {
    const message = `${gate.errors} error(s) in the ${gate.title} gate${def ? `: ${def.question}` : ''}`;
    body.push(`      <failure${attrs({ message, type: gate.id })}>${text(errors.map((f) => findingLine(report, f, cwd)).join('\n'))}</failure>`);
  }
  if (others.length > 0) {
    body.push(`      <system-out>${text(others.map((f) => findingLine(report, f, cwd)).join('\n'))}</system-out>`);
  }
  return body.length === 0 ? [`${open}/>`] : [`${open}>`, ...body, '    </testcase>'];
}

function findingLine(report: GateReport, f: Finding, cwd: string | undefined): string {
  return `${ciPath(report.root, f.file, cwd)}:${f.line}:${f.column} ${f.severity} ${f.ruleId}: ${f.message}`;
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${attribute(String(value))}"`)
    .join('');
}

/** Characters XML 1.0 cannot carry at all, not even as references (control characters, lone surrogates). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * Character data: `&` and `<` must be escaped, `>` is escaped too so `]]>` cannot appear,
 * and CR is kept as a reference (parsers turn a literal one into LF).
 */
export function text(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** A double-quoted attribute value; whitespace other than space is kept as a reference (attribute normalization would turn it into a space). */
export function attribute(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
