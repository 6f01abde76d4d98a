import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from './helpers.js';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (role: string) =>
  `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'supabase', ref: 'qwertyuiopasdfghjklz', role, iat: 1700000000, exp: 2000000000 })}.Xk3n9QpL2vR7tY1uW8zA5cD4eF6gH0jK2lM3nO4pQ5r`;

describe('secrets written into migrations', () => {
  it('reports a service-role key in a pg_cron call at its line and column, masked, and ignores the anon key', async () => {
    const serviceRole = jwt('service_role');
    const cron = `-- Lembretes diários às 7h
select cron.schedule('lembretes', '0 7 * * *', $$
  select net.http_post(
    url := 'https://qwertyuiopasdfghjklz.supabase.co/functions/v1/lembretes',
    headers := jsonb_build_object('Authorization', 'Bearer ${serviceRole}', 'apikey', '${jwt('anon')}')
  );
$$);
`;
    const root = tempProject({ 'supabase/migrations/20240101000000_cron.sql': cron });
    for (const format of ['json', 'stylish']) {
      const run = await runCli(['gate', root, '--format', format]);
      expect(run.code).toBe(1);
      expect(run.stdout).not.toContain(serviceRole.slice(40, 80));
    }
    const report = JSON.parse((await runCli(['gate', root, '--format', 'json'])).stdout);
    const secrets = report.findings.filter((f: { ruleId: string }) => f.ruleId === '@supagate/no-hardcoded-secrets');
    expect(secrets.map((f: { file: string; line: number; column: number; gate: string }) => [f.file, f.line, f.column, f.gate])).toEqual([
      ['supabase/migrations/20240101000000_cron.sql', 5, 60, 'edge-function'],
    ]);
    expect(secrets[0].message).toMatch(/^hardcoded Supabase service-role key \(JWT\) `eyJ…pQ5r` in a migration/);
  });

  it('says nothing about migrations without secrets', async () => {
    const root = tempProject({
      'supabase/migrations/20240101000000_init.sql': "create table public.clinics (id uuid primary key, nome text);\ncomment on table public.clinics is 'sk-tenant root';\n",
    });
    const report = JSON.parse((await runCli(['gate', root, '--format', 'json'])).stdout);
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === '@supagate/no-hardcoded-secrets')).toEqual([]);
  });
});
