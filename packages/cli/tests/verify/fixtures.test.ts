import { discoverProject } from '../../src/project.js';
import { runVerify, type VerifyResult } from '../../src/verify/index.js';
import { enableTemplateCache } from '../../src/verify/supabase-shim.js';
import { fixture, runCli, type CliRun } from '../helpers.js';

interface JsonReport {
  findings: Array<{ ruleId: string; severity: string; gate: string; file: string; line: number; message: string; object?: string }>;
  gates: Array<{ id: string; status: string }>;
}

// The bundled fixtures, through the API and through both CLI entry points. One database template for the file.
let clean: VerifyResult;
let clinicGate: CliRun;
let cleanCli: CliRun;
beforeAll(async () => {
  enableTemplateCache();
  clean = await runVerify(discoverProject(fixture('clean-app')));
  clinicGate = await runCli(['gate', fixture('clinic-app'), '--verify', '--format', 'json', '--no-cache']);
  cleanCli = await runCli(['verify', fixture('clean-app'), '--format', 'json']);
}, 900_000);

describe('clean-app', () => {
  it('replays without migration errors', () => {
    expect(clean.findings.filter((f) => f.ruleId === '@supagate/migration-error')).toEqual([]);
    expect(clean.stats.rejected).toBe(0);
    expect(clean.stats.applied).toBe(clean.stats.statements);
  });

  it('proves every tenant table and the tenant table itself isolated, with membership established', () => {
    expect(clean.probed.map((p) => p.table)).toEqual([
      'public.appointment_notes',
      'public.appointments',
      'public.clinic_members',
      'public.clinics',
      'public.patients',
      'public.payments',
      'public.rooms',
      'public.upcoming_appointments',
    ]);
    for (const p of clean.probed) {
      // A new clinic is how a tenant signs up: INSERT is not probed on the tenant table.
      const operations =
        p.table === 'public.clinics' ? ['SELECT', 'UPDATE', 'DELETE'] : p.table === 'public.upcoming_appointments' ? ['SELECT'] : ['SELECT', 'UPDATE', 'DELETE', 'INSERT'];
      expect(p, p.table).toMatchObject({ leaks: [], anonLeaks: [], isolated: operations, inconclusive: [], ownRowVisible: true });
    }
    expect(clean.skipped).toEqual([]);
    expect(clean.findings).toEqual([]);
  });

  it('passes `supagate verify` (exit 0, JSON report, summary on stderr)', () => {
    expect(cleanCli.code).toBe(0);
    const report = JSON.parse(cleanCli.stdout) as JsonReport;
    expect(report.findings).toEqual([]);
    expect(report.gates.map((g) => [g.id, g.status])).toEqual([
      ['migration', 'pass'],
      ['tenant-isolation', 'pass'],
    ]);
    expect(cleanCli.stderr).toMatch(/68\/68 statements applied from 7 migrations \(0 rejected\) · 8 tables and views probed, 0 leaks, 0 not probed/);
  });
});

describe('clinic-app (supagate gate --verify)', () => {
  const report = () => JSON.parse(clinicGate.stdout) as JsonReport;
  const verifyFindings = () => report().findings.filter((f) => /\/(migration-error|model-mismatch|tenant-leak|probe-skipped)$/.test(f.ruleId));

  it('replays without migration errors and without model mismatches', () => {
    expect(verifyFindings().filter((f) => f.ruleId === '@supagate/migration-error' || f.ruleId === '@supagate/model-mismatch')).toEqual([]);
    expect(clinicGate.stderr).toMatch(/0 rejected/);
  });

  it('finds the `using (true)` professionals policy leaking, in the tenant-isolation gate', () => {
    const leaks = verifyFindings().filter((f) => f.ruleId === '@supagate/tenant-leak' && f.object === 'public.professionals');
    expect(leaks).toEqual([
      expect.objectContaining({
        severity: 'error',
        gate: 'tenant-isolation',
        file: 'supabase/migrations/20240215113000_fix_agenda_profissionais.sql',
        line: 4,
        object: 'public.professionals',
        message: expect.stringContaining('"Usuários autenticados veem os profissionais"'),
      }),
    ]);
    expect(report().gates.find((g) => g.id === 'tenant-isolation')?.status).toBe('fail');
    expect(clinicGate.code).toBe(1);
  });

  it('proves the planted view without security_invoker leaking, to members and to anon (what view-bypasses-rls says statically)', () => {
    const leaks = verifyFindings().filter((f) => f.ruleId === '@supagate/tenant-leak' && f.object === 'public.agenda_do_dia');
    expect(leaks.map((f) => [f.file, f.line])).toEqual([
      ['supabase/migrations/20240228120000_agenda_do_dia_view.sql', 3],
      ['supabase/migrations/20240228120000_agenda_do_dia_view.sql', 3],
    ]);
    expect(leaks.map((f) => f.message).join('\n')).toMatch(/a member of one clinic can SELECT[\s\S]*anyone, without signing in \(role anon\), can SELECT/);
  });

  it('lists the tables without RLS as not probed', () => {
    const skipped = verifyFindings().filter((f) => f.ruleId === '@supagate/probe-skipped');
    expect(skipped.map((f) => f.object).sort()).toEqual(['public.appointment_reminders', 'public.patient_attachments']);
    expect(skipped.every((f) => f.severity === 'info' && f.gate === 'tenant-isolation')).toBe(true);
    expect(clinicGate.stderr).toMatch(/13 tables and views probed, 3 leaks, 2 not probed/);
  });
});
