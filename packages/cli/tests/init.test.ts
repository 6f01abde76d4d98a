import { existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { TEMPLATES } from '../src/init.js';
import { REPO_ROOT, runCli, tempProject } from './helpers.js';

describe('supagate init', () => {
  it('writes a starting config in an empty project, after which gate runs (every gate not applicable)', async () => {
    const root = tempProject({});
    const run = await runCli(['init', root]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote supagate\.config\.json$/m);
    expect(run.stdout).toContain(TEMPLATES.workflow.text);
    const config = JSON.parse(readFileSync(path.join(root, 'supagate.config.json'), 'utf8'));
    expect(config.$schema).toBe('./node_modules/@supagate/cli/schema/supagate.config.schema.json');
    expect(existsSync(path.join(REPO_ROOT, 'packages/cli/schema/supagate.config.schema.json'))).toBe(true);

    const gate = await runCli(['gate', root, '--format', 'json']);
    expect(gate.code).toBe(0);
    const report = JSON.parse(gate.stdout);
    expect(report.gates.every((g: { status: string }) => g.status === 'not-applicable')).toBe(true);
  });

  it('with --write creates hook and workflow files that their tools accept, and keeps existing files', async () => {
    const root = tempProject({ 'eslint.config.js': 'export default [];\n' });
    const run = await runCli(['init', root, '--write', '--hook', 'lefthook']);
    expect(run.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'kept eslint.config.js (already exists)',
      'wrote .github/workflows/supagate.yml',
      'wrote lefthook.yml',
      'wrote supagate.config.json',
    ]);
    expect(readFileSync(path.join(root, 'eslint.config.js'), 'utf8')).toBe('export default [];\n');

    const workflow = parseYaml(readFileSync(path.join(root, '.github/workflows/supagate.yml'), 'utf8'));
    expect(workflow.permissions['security-events']).toBe('write');
    const steps = workflow.jobs.gate.steps as Array<{ name?: string; uses?: string; run: string; if: string; with: Record<string, string> }>;
    const gate = steps.find((s) => s.name === 'supagate gate')!;
    const upload = steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'))!;
    const output = /--output (\S+)/.exec(gate.run)![1];
    expect(gate.run).toContain('--format sarif');
    expect(upload.with.sarif_file).toBe(output);
    expect(upload.if).toContain('always()');

    const lefthook = parseYaml(readFileSync(path.join(root, 'lefthook.yml'), 'utf8'));
    expect(lefthook['pre-commit'].commands.supagate.run).toBe('npx supagate gate --staged');
  });

  it('writes an executable husky hook', async () => {
    const root = tempProject({});
    await runCli(['init', root, '--write']);
    const hook = path.join(root, '.husky/pre-commit');
    expect(readFileSync(hook, 'utf8')).toBe('npx supagate gate --staged\n');
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    expect((await runCli(['init', root, '--hook', 'pre-commit'])).code).toBe(2);
  });

  it('writes an eslint.config.js that ESLint loads and that reports supagate findings in the editor', async () => {
    const root = tempProject({
      'supabase/functions/notify-patient/index.ts':
        "Deno.serve(async (req) => {\n  const paciente = await req.json();\n  console.log('novo paciente', paciente.cpf);\n  return new Response('ok');\n});\n",
    });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    await runCli(['init', root, '--write']);
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintFiles(['supabase/functions/notify-patient/index.ts']);
    const pii = result.messages.filter((m) => m.ruleId === '@supagate/no-pii-in-logs');
    expect(pii.map((m) => [m.line, m.column])).toEqual([[3, 32]]);
  });

  it('ships a .pre-commit-hooks.yaml for the pre-commit framework', () => {
    const hooks = parseYaml(readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
    expect(hooks).toEqual([
      expect.objectContaining({ id: 'supagate', entry: 'npx supagate gate --staged', language: 'system', pass_filenames: false }),
    ]);
  });

  it('the README shows exactly the snippets init writes', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const id of ['eslint', 'husky', 'lefthook', 'workflow'] as const) {
      expect(readme, `README snippet for ${TEMPLATES[id].path}`).toContain(TEMPLATES[id].text);
    }
  });
});
