// The rule list of sql-lint, without its parser: importing it costs milliseconds.
import { sqlRules } from '@supagate/sql-lint/rules';

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
 * and every output format use, built from each rule's own metadata so it cannot drift.
 * It starts with the SQL and CLI rules; `loadRuleCatalog()` adds the ESLint plugin's rules,
 * which needs the plugin (and TypeScript) loaded — a pre-commit run answered from cache
 * never pays for that.
 */
export const RULES: RuleInfo[] = [];
const GATE_BY_RULE = new Map<string, GateId>();

function register(rules: RuleInfo[], at: 'start' | 'end'): void {
  const fresh = rules.filter((r) => !GATE_BY_RULE.has(r.id));
  for (const r of fresh) GATE_BY_RULE.set(r.id, r.gate);
  if (at === 'start') RULES.unshift(...fresh);
  else RULES.push(...fresh);
}

register(
  Object.values(sqlRules).map((rule) => ({ id: rule.id, gate: rule.gate, engine: 'sql' as const, description: rule.description })),
  'end',
);
register(CLI_RULES, 'end');

let pluginLoaded: Promise<RuleInfo[]> | null = null;

/** Completes RULES with the ESLint plugin's rules (first, as the checklist lists them). */
export function loadRuleCatalog(): Promise<RuleInfo[]> {
  pluginLoaded ??= import('@supagate/eslint-plugin').then(({ default: supagate }) => {
    const eslintRules: RuleInfo[] = [];
    for (const [id, rule] of Object.entries(supagate.rules)) {
      const docs = (rule.meta?.docs ?? {}) as { gate?: GateId; description?: string };
      eslintRules.push({ id, gate: docs.gate ?? 'edge-function', engine: 'eslint', description: docs.description ?? '' });
    }
    // The SQL rules the plugin wraps for the editor keep their SQL entry (register skips known ids).
    register(eslintRules, 'start');
    return RULES;
  });
  return pluginLoaded;
}

export function bareRuleId(ruleId: string): string {
  return ruleId.startsWith(RULE_PREFIX) ? ruleId.slice(RULE_PREFIX.length) : ruleId;
}

export function gateOf(ruleId: string, fallback: GateId): GateId {
  return GATE_BY_RULE.get(bareRuleId(ruleId)) ?? fallback;
}
