import type { GateId } from './gates.js';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** One problem at one place (DESIGN.md). Lines and columns are 1-based. */
export interface Finding {
  ruleId: string;
  severity: FindingSeverity;
  gate: GateId;
  /** Relative to the scanned root, forward slashes. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** Schema-qualified database object, for findings about one. */
  object?: string;
}

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

/** File, line, column, rule: the order that makes the same input give byte-identical output. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareStrings(a.ruleId, b.ruleId) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    compareStrings(a.message, b.message)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
