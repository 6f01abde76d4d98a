export { runGate, VERSION, type GateReport, type GateResult, type GateStatus, type GateOptions } from './gate.js';
export type { Finding, FindingSeverity } from './findings.js';
export { GATES, RULES, type GateId, type RuleInfo } from './gates.js';
export { main } from './main.js';
