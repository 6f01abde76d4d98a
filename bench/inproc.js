#!/usr/bin/env node
// In-process A/B measurements, run by bench/run.js in a child process (`node --expose-gc`), so
// that one measurement's heap never weighs on the next. Prints one JSON object on stdout.
//
//   node --expose-gc bench/inproc.js sql-floor <project-root> <runs>
//   node --expose-gc bench/inproc.js eslint <project-root> <runs>
//
// Each run times A and B back to back, alternating which goes first (ABBAAB…), after a warm-up
// of both, with a full GC before every timed call: drift and noise from the shared machine hit
// both sides alike.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const [mode, rootArg, runsArg] = process.argv.slice(2);
const root = path.resolve(rootArg);
const runs = Math.max(1, Number.parseInt(runsArg ?? '5', 10));
const gc = globalThis.gc ?? (() => {});

/** Wall-clock and CPU (user + system, this process) milliseconds of one call. */
async function time(fn) {
  gc();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

/** Runs warm-up then `runs` interleaved pairs; returns { a: ms[], b: ms[], aCpu: ms[], bCpu: ms[] }. */
async function interleave(a, b) {
  await a();
  await b();
  const out = { a: [], b: [], aCpu: [], bCpu: [] };
  const one = async (fn, side) => {
    const t = await time(fn);
    out[side].push(t.wall);
    out[`${side}Cpu`].push(t.cpu);
  };
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      await one(a, 'a');
      await one(b, 'b');
    } else {
      await one(b, 'b');
      await one(a, 'a');
    }
  }
  return out;
}

function listFiles(dir, test, rel = '') {
  const out = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) out.push(...listFiles(dir, test, child));
    } else if (test(entry.name)) out.push(child);
  }
  return out;
}

async function sqlFloor() {
  const { lintMigrations } = await import('@supagate/sql-lint');
  const pg = await import('libpg-query');
  await pg.loadModule();
  const rel = 'supabase/migrations';
  const names = readdirSync(path.join(root, rel))
    .filter((n) => n.endsWith('.sql'))
    .sort();
  const files = names.map((n) => ({ path: `${rel}/${n}`, text: readFileSync(path.join(root, rel, n), 'utf8') }));
  const options = { tenantColumn: 'clinic_id', tenantTable: 'public.clinics', exposedSchemas: ['public', 'graphql_public'] };
  let diagnostics = 0;
  let statements = 0;
  let unparsable = 0;
  const result = await interleave(
    async () => {
      diagnostics = (await lintMigrations(files, options)).diagnostics.length;
    },
    () => {
      statements = 0;
      unparsable = 0;
      for (const f of files) {
        try {
          statements += pg.parseSync(f.text).stmts?.length ?? 0;
        } catch {
          unparsable++;
        }
      }
    },
  );
  return { ...result, files: files.length, bytes: files.reduce((s, f) => s + Buffer.byteLength(f.text), 0), statements, unparsable, diagnostics };
}

async function eslintOverhead() {
  const { ESLint } = await import('eslint');
  const tsParser = await import('@typescript-eslint/parser');
  const supagate = (await import('@supagate/eslint-plugin')).default;
  const functionsDir = 'supabase/functions';
  const files = listFiles(path.join(root, functionsDir), (n) => /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/.test(n) && !n.endsWith('.d.ts')).map(
    (f) => `${functionsDir}/${f}`,
  );
  const settings = { settings: { supagate: { tenantColumn: 'clinic_id' } } };
  // A: what a user's eslint.config.js with the plugin runs. B: the same parser, no rules.
  const withRules = [...supagate.configs.recommended, settings];
  const parserOnly = [{ files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx}'], languageOptions: { parser: tsParser, sourceType: 'module' } }, settings];
  const messages = { a: 0, b: 0 };
  const lint = (config, side) => async () => {
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config, cache: false });
    const results = await eslint.lintFiles(files);
    if (results.length !== files.length) throw new Error(`ESLint linted ${results.length} of ${files.length} files`);
    messages[side] = results.reduce((s, r) => s + r.messages.length, 0);
  };
  const result = await interleave(lint(withRules, 'a'), lint(parserOnly, 'b'));
  return { ...result, files: files.length, messages };
}

const modes = { 'sql-floor': sqlFloor, eslint: eslintOverhead };
if (!modes[mode]) {
  process.stderr.write(`unknown mode ${mode} (one of: ${Object.keys(modes).join(', ')})\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(await modes[mode]())}\n`);
