import { compareFindings, type Finding } from '../../src/findings.js';
import { runGate, VERSION, type GateReport, type GateResult } from '../../src/gate.js';
import { GATES, type GateId } from '../../src/gates.js';
import { fixture, tempProject } from '../helpers.js';

/** Text a format must carry through its own escaping: every character some consumer treats specially. */
export const NASTY = 'a|b `c` 100% d:e,f <g> & "h" \'i\' [j](k) *l* _m_ @n #1\r\nsecond line\u0001end';

export const HAND_SOURCES = {
  'supabase/functions/notify patient #1/index.ts': [
    "import { createClient } from 'npm:@supabase/supabase-js@2';",
    '',
    'Deno.serve(async (req) => {',
    '  const paciente = await req.json();',
    '  console.log(paciente.cpf);',
    '  console.log(paciente.cpf);',
    "  return new Response('ok');",
    '});',
    '',
  ].join('\n'),
  'supabase/migrations/20240101000000_init.sql': [
    'create table public.notes (id uuid primary key, body text);',
    'create table public.tags (id uuid primary key);',
    '',
  ].join('\n'),
};

const FN = 'supabase/functions/notify patient #1/index.ts';
const SQL = 'supabase/migrations/20240101000000_init.sql';

/**
 * A report built by hand over a temp project whose files exist (fingerprints read them):
 * every gate status, every severity, a file name with a space and `#`, and a message full of
 * characters each format must escape.
 */
export function handReport(): { report: GateReport; root: string } {
  const root = tempProject(HAND_SOURCES);
  const at = (file: string, line: number, column: number, endColumn: number) => ({ file, line, column, endLine: line, endColumn });
  const findings: Finding[] = [
    { ruleId: '@supagate/no-pii-in-logs', severity: 'error', gate: 'edge-function', ...at(FN, 5, 15, 27), message: 'logs `paciente.cpf` (CPF) — log an id or mask it' },
    { ruleId: '@supagate/no-pii-in-logs', severity: 'error', gate: 'edge-function', ...at(FN, 6, 15, 27), message: 'logs `paciente.cpf` (CPF) — log an id or mask it' },
    { ruleId: '@supagate/require-structured-logs', severity: 'warning', gate: 'observability', ...at(FN, 3, 1, 11), message: NASTY },
    { ruleId: '@supagate/require-rls', severity: 'error', gate: 'migration', ...at(SQL, 1, 1, 60), message: 'table public.notes has no row level security', object: 'public.notes' },
    { ruleId: '@supagate/require-rls', severity: 'error', gate: 'migration', ...at(SQL, 2, 1, 47), message: 'table public.tags has no row level security', object: 'public.tags' },
    { ruleId: '@supagate/rls-without-policy', severity: 'info', gate: 'migration', ...at(SQL, 2, 1, 47), message: 'table public.tags: only the service role can read it' },
  ];
  findings.sort(compareFindings);
  const status: Record<GateId, GateResult['status']> = {
    plan: 'pass',
    'edge-function': 'fail',
    migration: 'fail',
    'tenant-isolation': 'not-applicable',
    observability: 'pass',
    release: 'pass',
  };
  const gates = GATES.map((g): GateResult => {
    const own = findings.filter((f) => f.gate === g.id);
    return {
      id: g.id,
      title: g.title,
      status: status[g.id],
      errors: own.filter((f) => f.severity === 'error').length,
      warnings: own.filter((f) => f.severity === 'warning').length,
    };
  });
  const report: GateReport = {
    tool: 'supagate',
    version: VERSION,
    root,
    findings,
    gates,
    summary: { files: 2, errors: 4, warnings: 1, durationMs: 12 },
  };
  return { report, root };
}

let clinic: Promise<GateReport> | undefined;
/** One real run over the bundled example project, shared by the format tests. */
export function clinicReport(): Promise<GateReport> {
  clinic ??= runGate(fixture('clinic-app'));
  return clinic;
}

/** A migration-only project with real SQL findings; `prefix` lines are inserted above everything. */
export const MIGRATION = [
  'create table public.clinics (id uuid primary key, nome text not null);',
  'alter table public.clinics enable row level security;',
  'create table public.lembretes (id uuid primary key, texto text);',
  'create table public.anexos (id uuid primary key, caminho text);',
  '',
].join('\n');

export async function migrationProjectReport(prefix = ''): Promise<{ report: GateReport; root: string }> {
  const root = tempProject({ 'supabase/migrations/20240101000000_init.sql': prefix + MIGRATION });
  return { report: await runGate(root), root };
}
