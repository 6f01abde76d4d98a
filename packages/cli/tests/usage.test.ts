import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

describe('usage and exit codes', () => {
  it('exits 2 with one line naming an unknown flag', async () => {
    const run = await runCli(['gate', fixture('clean-app'), '--colour']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--colour');
    expect(run.stdout).toBe('');
  });

  it('exits 2 when the directory does not exist', async () => {
    const run = await runCli(['gate', 'no/such/project']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe('supagate: directory not found: no/such/project\n');
  });

  it('exits 2 on an unknown format or command, listing what is accepted', async () => {
    const format = await runCli(['gate', fixture('clean-app'), '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/unknown format 'xml' \(one of: stylish, json/);
    const command = await runCli(['lint']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command 'lint'/);
  });

  it('prints help (exit 0) and the version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/supagate gate \[dir\]/);
    expect((await runCli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('lists every rule with its gate and docs link', async () => {
    const run = await runCli(['rules']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+migration\s+@supagate\/require-rls\s+https:\/\/\S+\/docs\/rules\/require-rls\.md$/m);
    expect(run.stdout).toMatch(/^\s+plan\s+@supagate\/require-handler\s/m);
    expect(run.stdout).toMatch(/^\s+release\s+@supagate\/undeclared-secret\s/m);
  });

  it('exits 2 with one line when --output cannot be written', async () => {
    const run = await runCli(['gate', fixture('clean-app'), '--format', 'json', '--output', '/no/such/dir/report.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('supagate: cannot write --output /no/such/dir/report.json: ENOENT\n');
  });
});
