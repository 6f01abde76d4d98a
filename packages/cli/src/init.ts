import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

/**
 * The files `supagate init` offers. The README quotes these same texts and a test keeps
 * them in step, so what the docs show is what the tool writes.
 */
export const TEMPLATES = {
  config: {
    path: 'supagate.config.json',
    text: `${JSON.stringify(
      {
        $schema: './node_modules/@supagate/cli/schema/supagate.config.schema.json',
        tenantColumn: 'clinic_id',
        tenantTable: 'public.clinics',
        exemptTables: [],
        rules: {},
      },
      null,
      2,
    )}\n`,
  },
  eslint: {
    path: 'eslint.config.js',
    text: `import supagate from '@supagate/eslint-plugin';

export default [
  ...supagate.configs.recommended,
  {
    settings: {
      supagate: { tenantColumn: 'clinic_id' },
    },
  },
];
`,
  },
  husky: {
    path: '.husky/pre-commit',
    text: `npx supagate gate --staged
`,
  },
  lefthook: {
    path: 'lefthook.yml',
    text: `pre-commit:
  commands:
    supagate:
      run: npx supagate gate --staged
`,
  },
  workflow: {
    path: '.github/workflows/supagate.yml',
    text: `name: supagate
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
  security-events: write
jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - name: supagate gate
        run: npx supagate gate --format sarif --output supagate.sarif
      - name: Upload findings to code scanning
        if: \${{ always() && hashFiles('supagate.sarif') != '' }}
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: supagate.sarif
          category: supagate
`,
  },
} as const;

export type TemplateId = keyof typeof TEMPLATES;

export interface InitResult {
  written: string[];
  skipped: string[];
  printed: string;
}

/**
 * Writes a starting supagate.config.json; with `write`, also the ESLint config, the
 * pre-commit hook and the CI workflow. Existing files are never overwritten.
 */
export function init(rootArg: string, options: { write: boolean; hook: 'husky' | 'lefthook' }): InitResult {
  const root = path.resolve(rootArg);
  if (!existsSync(root)) throw new UsageError(`directory not found: ${rootArg}`);
  const wanted: TemplateId[] = options.write ? ['config', 'eslint', options.hook, 'workflow'] : ['config'];
  const written: string[] = [];
  const skipped: string[] = [];
  for (const id of wanted) {
    const { path: rel, text } = TEMPLATES[id];
    const file = path.join(root, rel);
    if (existsSync(file)) {
      skipped.push(rel);
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    if (id === 'husky') chmodSync(file, 0o755);
    written.push(rel);
  }
  const printed = options.write
    ? ''
    : (['eslint', options.hook, 'workflow'] as TemplateId[])
        .map((id) => `# ${TEMPLATES[id].path}\n${TEMPLATES[id].text}`)
        .join('\n');
  return { written, skipped, printed };
}
