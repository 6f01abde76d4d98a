import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as eslintRunner from '../src/run-eslint.js';
import { runCli, tempProject } from './helpers.js';

// Count how often ESLint itself is started, keeping its real behaviour.
vi.mock('../src/run-eslint.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/run-eslint.js')>();
  return { ...real, runEslint: vi.fn(real.runEslint) };
});
const runEslint = vi.mocked(eslintRunner.runEslint);

const fn = (secret: string) =>
  `Deno.serve(async (req) => {\n  try {\n    const key = Deno.env.get('${secret}');\n    return new Response(key ? 'ok' : 'no', { status: key ? 200 : 500 });\n  } catch (error) {\n    console.error(error);\n    return new Response('erro', { status: 500 });\n  }\n});\n`;

async function gate(root: string): Promise<string[]> {
  const run = await runCli(['gate', root, '--format', 'json']);
  return (JSON.parse(run.stdout) as { findings: Array<{ file: string; line: number; ruleId: string }> }).findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);
}

describe('whole-project gate with a warm cache', () => {
  afterEach(() => runEslint.mockClear());

  it('answers without starting ESLint when no source file changed, and starts it for an edit or a new file', async () => {
    const root = tempProject({
      'supabase/migrations/20240101000000_init.sql': 'create table public.clinics (id uuid primary key);\nalter table public.clinics enable row level security;\n',
      'supabase/functions/lembrete/index.ts': fn('LEMBRETE_TOKEN'),
    });
    const cold = await gate(root);
    expect(runEslint).toHaveBeenCalledTimes(1);
    expect(cold).toContain('supabase/functions/lembrete/index.ts:3 @supagate/undeclared-secret');

    // Nothing changed, or only a migration (sql-lint's, never ESLint's): the stored answer.
    expect(await gate(root)).toEqual(cold);
    writeFileSync(path.join(root, 'supabase/migrations/20240102000000_more.sql'), 'create table public.rooms (id uuid primary key);\n');
    await gate(root);
    expect(runEslint).toHaveBeenCalledTimes(1);

    // An edited function file.
    writeFileSync(path.join(root, 'supabase/functions/lembrete/index.ts'), fn('OUTRO_TOKEN'));
    expect(await gate(root)).toContain('supabase/functions/lembrete/index.ts:3 @supagate/undeclared-secret');
    expect(runEslint).toHaveBeenCalledTimes(2);

    // A new function: not in the stored list, so ESLint must see it.
    mkdirSync(path.join(root, 'supabase/functions/cobranca'), { recursive: true });
    writeFileSync(path.join(root, 'supabase/functions/cobranca/index.ts'), fn('COBRANCA_TOKEN'));
    expect(await gate(root)).toContain('supabase/functions/cobranca/index.ts:3 @supagate/undeclared-secret');
    expect(runEslint).toHaveBeenCalledTimes(3);
  });
});
