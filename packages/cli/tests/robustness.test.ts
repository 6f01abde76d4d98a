import path from 'node:path';
import { ESLint, type Rule } from 'eslint';
import { describe, expect, it } from 'vitest';
import { CRASH_MARKER, guardRules } from '../src/run-eslint.js';
import { runCli, tempProject } from './helpers.js';

describe('bad input never stops the run', () => {
  it('reports a binary migration, a migration with a syntax error and an unparsable function as findings', async () => {
    const root = tempProject({
      'supabase/migrations/20240101000000_init.sql': 'create table public.clinics (id uuid primary key);\nalter table public.clinics enable row level security;\n',
      'supabase/migrations/20240102000000_blob.sql': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]),
      'supabase/migrations/20240103000000_broken.sql': 'create table public.notas (\n  id uuid primary key,\n  clinic_id uuid not null\n;\n',
      'supabase/functions/quebrada/index.ts': 'Deno.serve(async (req) => {\n  return new Response("ok"\n});\n',
    });
    const run = await runCli(['gate', root, '--format', 'json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const findings = JSON.parse(run.stdout).findings as Array<{ ruleId: string; file: string; line: number; message: string }>;
    const byRule = (id: string) => findings.filter((f) => f.ruleId === `@supagate/${id}`);
    expect(byRule('unreadable-file').map((f) => [f.file, f.line])).toEqual([['supabase/migrations/20240102000000_blob.sql', 1]]);
    expect(byRule('syntax-error').map((f) => [f.file, f.line])).toEqual([['supabase/migrations/20240103000000_broken.sql', 4]]);
    expect(byRule('parse-error').map((f) => [f.file, f.line])).toEqual([['supabase/functions/quebrada/index.ts', 3]]);
    expect(byRule('parse-error')[0].message).toMatch(/^cannot parse this file: /);
    // The history before the broken file is still analysed.
    expect(findings.some((f) => f.ruleId === '@supagate/rls-without-policy' && f.file.endsWith('_init.sql'))).toBe(true);
  });

  it('turns a broken supabase/config.toml into a finding at its line and goes on with defaults', async () => {
    const root = tempProject({
      'supabase/config.toml': 'project_id = "clinica"\n[api]\nschemas = ["public",\n',
      'supabase/migrations/20240101000000_init.sql': 'create table public.clinics (id uuid primary key);\n',
    });
    const run = await runCli(['gate', root, '--format', 'json']);
    const findings = JSON.parse(run.stdout).findings as Array<{ ruleId: string; file: string; line: number }>;
    expect(findings.find((f) => f.ruleId === '@supagate/config-error')).toMatchObject({ file: 'supabase/config.toml', gate: 'plan' });
    expect(findings.some((f) => f.ruleId === '@supagate/require-rls')).toBe(true);
  });

  it('is a one-line usage error when the folder has no supabase/ directory', async () => {
    const root = tempProject({ 'src/main.ts': 'export {}\n' });
    const run = await runCli(['gate', root]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/no supabase\/ directory in .*: point supagate at the project root/);
  });

  it('keeps linting after a rule throws, reporting the crash for that file only', async () => {
    const fragile: Rule.RuleModule = {
      meta: { type: 'problem', messages: { found: 'found {{name}}' }, schema: [] },
      create(context) {
        return {
          Identifier(node) {
            if (node.name === 'boom') throw new Error('unexpected node shape\n    at fake stack');
            if (node.name === 'paciente') context.report({ node, messageId: 'found', data: { name: node.name } });
          },
        };
      },
    };
    const root = tempProject({ 'a.js': 'const boom = 1;\nconst paciente = 2;\n', 'b.js': 'const paciente = 3;\n' });
    const plugin = guardRules({ rules: { fragile } });
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.js'], plugins: { t: plugin }, rules: { 't/fragile': 'error' } }],
    });
    const results = await eslint.lintFiles(['*.js']);
    const messages = Object.fromEntries(results.map((r) => [path.basename(r.filePath), r.messages.map((m) => m.message)]));
    // The crash is reported where it happened (and the rule stops for that file only).
    expect(messages).toEqual({ 'a.js': [`${CRASH_MARKER}unexpected node shape`], 'b.js': ['found paciente'] });
    const crash = results.find((r) => r.filePath.endsWith('a.js'))!.messages[0];
    expect([crash.ruleId, crash.line, crash.column]).toEqual(['t/fragile', 1, 7]);
  });
});
