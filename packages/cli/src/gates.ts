import supagate from '@supagate/eslint-plugin';
import { sqlRules } from '@supagate/sql-lint';

export type GateId = 'plan' | 'edge-function' | 'migration' | 'tenant-isolation' | 'observability' | 'release';

export interface GateDefinition {
  id: GateId;
  title: string;
  /** What the step of the integration checklist asks. */
  question: string;
}

export const GATES: readonly GateDefinition[] = [
  { id: 'plan', title: 'Plan', question: 'Every edge function has a handler the tools can find (integration map).' },
  { id: 'edge-function', title: 'Edge function', question: 'No patient data in logs, webhooks verify their sender, no hard-coded secrets, service-role key only in functions.' },
  { id: 'migration', title: 'Migration', question: 'Migrations parse; every exposed table has RLS and the tenant column; definer functions pin search_path.' },
  { id: 'tenant-isolation', title: 'Tenant isolation', question: 'Service-role writes are scoped by tenant; policies isolate tenants.' },
  { id: 'observability', title: 'Observability', question: 'Handlers catch errors, answer 4xx/5xx, and log structured success and failure events.' },
  { id: 'release', title: 'Release', question: 'Every secret the functions read is declared.' },
];

export const RULE_PREFIX = '@supagate/';

export interface RuleInfo {
  id: string;
  gate: GateId;
  engine: 'eslint' | 'sql' | 'cli';
  description: string;
}

/** Findings the CLI itself produces, about the project rather than one rule. */
const CLI_RULES: RuleInfo[] = [
  { id: 'config-error', gate: 'plan', engine: 'cli', description: 'supabase/config.toml or supagate configuration cannot be read.' },
  { id: 'parse-error', gate: 'edge-function', engine: 'cli', description: 'A TypeScript/JavaScript file that cannot be parsed.' },
  { id: 'unreadable-file', gate: 'migration', engine: 'cli', description: 'A migration that cannot be read or is not text.' },
  // supagate verify / gate --verify: the migrations replayed into an embedded Postgres.
  { id: 'migration-error', gate: 'migration', engine: 'cli', description: 'A migration statement Postgres rejects when the history is replayed.' },
  { id: 'model-mismatch', gate: 'migration', engine: 'cli', description: "The replayed database's catalog and sql-lint's model disagree (a bug in one of them)." },
  { id: 'tenant-leak', gate: 'tenant-isolation', engine: 'cli', description: "A member of one clinic can read, change, delete or insert another clinic's rows (proven by the probe)." },
  { id: 'probe-skipped', gate: 'tenant-isolation', engine: 'cli', description: 'A tenant table the isolation probe could not (fully) probe, with the reason.' },
];

/**
 * Rule → gate, as the checklist reads (DESIGN.md): the one table the report, `supagate rules`
 * and every output format use. Built from each rule's own metadata so it cannot drift.
 */
export const RULES: readonly RuleInfo[] = buildRuleTable();

function buildRuleTable(): RuleInfo[] {
  const out: RuleInfo[] = [];
  for (const [id, rule] of Object.entries(supagate.rules)) {
    const docs = (rule.meta?.docs ?? {}) as { gate?: GateId; description?: string };
    out.push({ id, gate: docs.gate ?? 'edge-function', engine: 'eslint', description: docs.description ?? '' });
  }
  for (const rule of Object.values(sqlRules)) {
    if (out.some((r) => r.id === rule.id)) continue;
    out.push({ id: rule.id, gate: rule.gate, engine: 'sql', description: rule.description });
  }
  for (const rule of CLI_RULES) if (!out.some((r) => r.id === rule.id)) out.push(rule);
  return out;
}

const GATE_BY_RULE = new Map(RULES.map((r) => [r.id, r.gate]));

export function bareRuleId(ruleId: string): string {
  return ruleId.startsWith(RULE_PREFIX) ? ruleId.slice(RULE_PREFIX.length) : ruleId;
}

export function gateOf(ruleId: string, fallback: GateId): GateId {
  return GATE_BY_RULE.get(bareRuleId(ruleId)) ?? fallback;
}
