import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import supagate from '../src/index.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-fixtures');

interface Expected {
  ruleId: string;
  file: string;
  line: number;
}

/** What a user gets from `export default [...supagate.configs.recommended]` and `npx eslint .`. */
async function lintFixture(name: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: path.join(FIXTURES, name),
    overrideConfigFile: true,
    overrideConfig: supagate.configs.recommended as unknown as Linter.Config[],
  });
  const results = await eslint.lintFiles(['.']);
  return results
    .flatMap((r) => r.messages.map((m) => `${path.relative(path.join(FIXTURES, name), r.filePath)}:${m.line} ${m.ruleId}`))
    .sort();
}

describe('configs.recommended on the bundled fixtures (the editor view)', () => {
  it('reports exactly the expected findings on clinic-app', async () => {
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'clinic-app/expected-findings.json'), 'utf8')) as Expected[];
    const enabled = new Set(
      (supagate.configs.recommended as unknown as Linter.Config[]).flatMap((c) =>
        Object.entries(c.rules ?? {})
          .filter(([, v]) => (Array.isArray(v) ? v[0] : v) !== 'off')
          .map(([id]) => id),
      ),
    );
    // ESLint has no "info" level: info-only SQL rules are off in the editor (the CLI still shows them).
    const wanted = expected.filter((f) => enabled.has(f.ruleId)).map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();
    expect(await lintFixture('clinic-app')).toEqual(wanted);
  });

  it('reports nothing on clean-app', async () => {
    expect(await lintFixture('clean-app')).toEqual([]);
  });
});
