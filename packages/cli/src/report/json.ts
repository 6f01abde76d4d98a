import type { GateReport } from '../gate.js';

/** The contract of DESIGN.md; keys in a fixed order so the same input gives the same bytes. */
export function formatJson(report: GateReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
