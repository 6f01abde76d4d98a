#!/usr/bin/env node
// supagate benchmarks (issue 7): every number is a ratio of two things measured side by side in
// the same run, medians of several interleaved runs, because the machines we run on are noisy.
//
//   npm run bench                       full size (2,000 migrations + 500 functions; pre-commit on 1,000 + 300)
//   npm run bench -- --quick            small sizes, for a smoke run
//   npm run bench -- --runs 9           more runs per measurement (default 5)
//   npm run bench -- --project PATH     measure a real project instead of the generated one
//   npm run bench -- --only floor,peer,eslint,precommit
//
// Prints a table and writes bench/out/results.json. Needs `npm ci` (which builds the packages).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateProject } from './generate.js';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(BENCH);
const OUT = path.join(BENCH, 'out');
const CLI = path.join(REPO, 'packages/cli/bin/supagate.js');
// squawk's native binary, straight from its platform package: the npm registry this project
// installs from serves only this platform's package, so `squawk-cli` (whose lock entry lists
// every platform) cannot be in the lock file; calling the binary also spares squawk the
// Node.js wrapper's start-up, which would be unfair to it.
const SQUAWK = path.join(REPO, `node_modules/@squawk-cli/${process.platform}-${process.arch}/bin/squawk${process.platform === 'win32' ? '.exe' : ''}`);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const SIZES = {
  full: { main: { functions: 500, migrations: 2000 }, precommit: { functions: 300, migrations: 1000 } },
  quick: { main: { functions: 60, migrations: 200 }, precommit: { functions: 30, migrations: 100 } },
};
const TARGETS = { floor: 1.25, peer: 1.0, eslint: 1.3, precommitWarmMs: 500, peakRssMb: 400 };
const STEPS = ['floor', 'peer', 'eslint', 'precommit'];

const { values } = parseArgs({
  options: {
    project: { type: 'string' },
    runs: { type: 'string', default: '5' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    seed: { type: 'string', default: '7' },
  },
});
const runs = Math.max(1, Number.parseInt(values.runs, 10));
const size = values.quick ? SIZES.quick : SIZES.full;
const steps = values.only ? values.only.split(',').map((s) => s.trim()) : STEPS;
for (const s of steps) if (!STEPS.includes(s)) throw new Error(`unknown step '${s}' (one of: ${STEPS.join(', ')})`);
const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;

// ---------------------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ratio = (a, b) => median(a) / median(b);
const cpuMedian = (samples) => {
  const xs = samples.map((x) => x.cpuMs).filter((x) => x !== null);
  return xs.length ? median(xs) : null;
};
const log = (msg) => process.stderr.write(`${msg}\n`);

function machine() {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    squawk: run([SQUAWK, '--version']).stdout.trim(),
  };
}

function run(argv, options = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, ...options });
  if (r.error) throw r.error;
  return r;
}

/**
 * Runs a whole process; returns wall-clock ms (spawn to exit, measured here), and from
 * `/usr/bin/time -v` its CPU time (user + system) and peak RSS (null without /usr/bin/time).
 * CPU time is reported next to wall time: on a shared, overloaded machine wall time is mostly
 * waiting for a core, CPU time is the work.
 */
function measureProcess(argv, { cwd, okCodes = [0, 1] } = {}) {
  const timeFile = path.join(OUT, `.time-${process.pid}.txt`);
  const full = TIME ? [TIME, '-v', '-o', timeFile, ...argv] : argv;
  const start = performance.now();
  const r = spawnSync(full[0], full.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const ms = performance.now() - start;
  if (r.error) throw r.error;
  if (!okCodes.includes(r.status)) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  let rssMb = null;
  let cpuMs = null;
  if (TIME) {
    const text = readFileSync(timeFile, 'utf8');
    const kb = Number(text.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1]);
    rssMb = Number.isFinite(kb) ? kb / 1024 : null;
    const user = Number(text.match(/User time \(seconds\): ([\d.]+)/)?.[1]);
    const sys = Number(text.match(/System time \(seconds\): ([\d.]+)/)?.[1]);
    cpuMs = Number.isFinite(user + sys) ? (user + sys) * 1000 : null;
    rmSync(timeFile, { force: true });
  }
  return { ms, cpuMs, rssMb, status: r.status };
}

function inproc(mode, root) {
  const r = run([process.execPath, '--expose-gc', path.join(BENCH, 'inproc.js'), mode, root, String(runs)], { cwd: REPO });
  if (r.status !== 0) throw new Error(`inproc ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function countFiles(dir, test) {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += e.name === 'node_modules' || e.name.startsWith('.') ? 0 : countFiles(path.join(dir, e.name), test);
    else if (test(e.name)) n++;
  }
  return n;
}

function cliSupports(flag) {
  return run([process.execPath, CLI, '--help']).stdout.includes(flag);
}

function clearCache(root) {
  rmSync(path.join(root, 'node_modules/.cache/supagate'), { recursive: true, force: true });
}

function git(cwd, ...args) {
  const r = run(['git', '-c', 'user.name=supagate-bench', '-c', 'user.email=bench@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------

if (!existsSync(path.join(REPO, 'packages/sql-lint/dist/index.js')) || !existsSync(path.join(REPO, 'packages/cli/dist/main.js'))) {
  throw new Error('packages are not built: run `npm ci` (or `npx tsc -b`) first');
}
mkdirSync(OUT, { recursive: true });
const started = new Date();
const results = {
  startedAt: started.toISOString(),
  machine: machine(),
  loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
  options: { runs, quick: values.quick === true, project: values.project ?? null, seed, steps },
  projects: {},
  measurements: {},
};

let mainRoot;
if (values.project) {
  mainRoot = path.resolve(values.project);
  if (!existsSync(path.join(mainRoot, 'supabase'))) throw new Error(`${values.project} has no supabase/ folder`);
  results.projects.main = { root: mainRoot, generated: false };
} else {
  mainRoot = path.join(OUT, 'project-main');
  log(`generating ${size.main.migrations} migrations + ${size.main.functions} functions in ${path.relative(REPO, mainRoot)} …`);
  const manifest = generateProject(mainRoot, { ...size.main, seed });
  results.projects.main = { root: path.relative(REPO, mainRoot), generated: true, ...manifest.options };
}
const migrationsDir = path.join(mainRoot, 'supabase/migrations');
const functionsDir = path.join(mainRoot, 'supabase/functions');
results.projects.main.migrationFiles = countFiles(migrationsDir, (n) => n.endsWith('.sql'));
results.projects.main.functionFiles = countFiles(functionsDir, (n) => /\.(ts|tsx|js|mjs|cjs|jsx|mts|cts)$/.test(n));
const hasNoCache = cliSupports('--no-cache');
results.cliHasNoCache = hasNoCache;

// 1. SQL floor -------------------------------------------------------------------------------
if (steps.includes('floor')) {
  log(`SQL floor: sql-lint vs libpg-query parse, ${results.projects.main.migrationFiles} files, ${runs} runs …`);
  const r = inproc('sql-floor', mainRoot);
  results.measurements.sqlFloor = {
    what: 'lintMigrations(all files) ÷ libpg-query parseSync of each file, in-process, warm',
    aMs: r.a,
    bMs: r.b,
    ratio: ratio(r.a, r.b),
    aCpuMs: r.aCpu,
    bCpuMs: r.bCpu,
    cpuRatio: ratio(r.aCpu, r.bCpu),
    target: TARGETS.floor,
    files: r.files,
    bytes: r.bytes,
    statements: r.statements,
    unparsable: r.unparsable,
    diagnostics: r.diagnostics,
  };
}

// 2. SQL peer (+ full gate for context, + peak RSS) --------------------------------------------
if (steps.includes('peer')) {
  log(`SQL peer: bench/sql-only.js vs squawk vs supagate gate, whole processes, ${runs} runs …`);
  const sides = {
    sqlOnly: () => measureProcess([process.execPath, path.join(BENCH, 'sql-only.js'), mainRoot], { cwd: mainRoot }),
    squawk: () => measureProcess([SQUAWK, '--reporter', 'gcc', 'supabase/migrations/*.sql'], { cwd: mainRoot }),
    gate: () => {
      // Cold: nothing cached (what CI sees on a fresh checkout; also the memory worst case).
      clearCache(mainRoot);
      return measureProcess([process.execPath, CLI, 'gate', mainRoot, '--format', 'json'], { cwd: mainRoot });
    },
  };
  // The CLI on the migrations alone, with its cache kept between runs (the issue's "through
  // parse-once, caching and no wasted work"): once with the history unchanged, once with the
  // newest migration edited before every run (the usual commit).
  const sqlRoot = path.join(OUT, 'project-sql');
  rmSync(sqlRoot, { recursive: true, force: true });
  mkdirSync(path.join(sqlRoot, 'supabase'), { recursive: true });
  cpSync(path.join(mainRoot, 'supabase', 'migrations'), path.join(sqlRoot, 'supabase', 'migrations'), { recursive: true });
  if (existsSync(path.join(mainRoot, 'supabase', 'config.toml'))) cpSync(path.join(mainRoot, 'supabase', 'config.toml'), path.join(sqlRoot, 'supabase', 'config.toml'));
  const newest = path.join(sqlRoot, 'supabase', 'migrations', readdirSync(path.join(sqlRoot, 'supabase', 'migrations')).filter((n) => n.endsWith('.sql')).sort().at(-1));
  let edits = 0;
  sides.cliUnchanged = () => measureProcess([process.execPath, CLI, 'gate', sqlRoot, '--format', 'json'], { cwd: sqlRoot });
  sides.cliNewestChanged = () => {
    appendFileSync(newest, `\n-- bench edit ${++edits}\n`);
    return measureProcess([process.execPath, CLI, 'gate', sqlRoot, '--format', 'json'], { cwd: sqlRoot });
  };
  const order = Object.keys(sides);
  const samples = { sqlOnly: [], squawk: [], gate: [], cliUnchanged: [], cliNewestChanged: [] };
  // Warm the OS file cache for every side once.
  for (const k of order) sides[k]();
  for (let i = 0; i < runs; i++) {
    // Rotate who goes first so drift in machine load hits every side alike.
    for (let j = 0; j < order.length; j++) {
      const k = order[(i + j) % order.length];
      samples[k].push(sides[k]());
    }
  }
  const ms = (k) => samples[k].map((s) => s.ms);
  const cpu = (k) => samples[k].map((s) => s.cpuMs).filter((x) => x !== null);
  const rss = (k) => samples[k].map((s) => s.rssMb).filter((x) => x !== null);
  results.measurements.sqlPeer = {
    what: 'node bench/sql-only.js (lintMigrations over the folder, fresh process) ÷ squawk --reporter gcc on the same files',
    aMs: ms('sqlOnly'),
    bMs: ms('squawk'),
    ratio: ratio(ms('sqlOnly'), ms('squawk')),
    target: TARGETS.peer,
    aCpuMs: cpu('sqlOnly'),
    bCpuMs: cpu('squawk'),
    cpuRatio: cpu('squawk').length ? ratio(cpu('sqlOnly'), cpu('squawk')) : null,
    files: results.projects.main.migrationFiles,
    rssMb: { sqlOnly: rss('sqlOnly').length ? median(rss('sqlOnly')) : null, squawk: rss('squawk').length ? median(rss('squawk')) : null },
  };
  results.measurements.sqlPeerCached = {
    what: 'supagate gate on a copy holding only the migrations, cache kept between runs ÷ squawk: history unchanged, and newest migration edited before each run',
    unchangedMs: ms('cliUnchanged'),
    newestChangedMs: ms('cliNewestChanged'),
    unchangedRatio: ratio(ms('cliUnchanged'), ms('squawk')),
    newestChangedRatio: ratio(ms('cliNewestChanged'), ms('squawk')),
    unchangedCpuRatio: cpu('squawk').length ? ratio(cpu('cliUnchanged'), cpu('squawk')) : null,
    newestChangedCpuRatio: cpu('squawk').length ? ratio(cpu('cliNewestChanged'), cpu('squawk')) : null,
  };
  results.measurements.fullGate = {
    what: 'supagate gate <project> --format json (ESLint on every function file + sql-lint), cache cleared before each run',
    ms: ms('gate'),
    medianMs: median(ms('gate')),
    ratioToSquawk: ratio(ms('gate'), ms('squawk')),
    cpuMs: cpu('gate'),
    cpuRatioToSquawk: cpu('squawk').length ? ratio(cpu('gate'), cpu('squawk')) : null,
    rssMb: rss('gate'),
  };
  results.measurements.memory = {
    what: 'peak RSS of supagate gate on the main project (/usr/bin/time -v)',
    peakRssMb: rss('gate').length ? Math.max(...rss('gate')) : null,
    medianRssMb: rss('gate').length ? median(rss('gate')) : null,
    target: TARGETS.peakRssMb,
    source: TIME ? '/usr/bin/time -v' : 'unavailable',
  };
}

// 3. ESLint overhead -------------------------------------------------------------------------
if (steps.includes('eslint')) {
  log(`ESLint overhead: recommended vs parser only, ${results.projects.main.functionFiles} files, ${runs} runs …`);
  const r = inproc('eslint', mainRoot);
  results.measurements.eslint = {
    what: 'ESLint with supagate.configs.recommended ÷ ESLint with @typescript-eslint/parser and no rules; new ESLint per run, cache: false',
    aMs: r.a,
    bMs: r.b,
    ratio: ratio(r.a, r.b),
    aCpuMs: r.aCpu,
    bCpuMs: r.bCpu,
    cpuRatio: ratio(r.aCpu, r.bCpu),
    target: TARGETS.eslint,
    files: r.files,
    messages: r.messages,
  };
}

// 4. Pre-commit ------------------------------------------------------------------------------
if (steps.includes('precommit')) {
  const root = path.join(OUT, 'project-precommit');
  if (values.project) {
    // A real project is copied (its supabase/ folder only): the benchmark commits and edits files.
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    cpSync(path.join(mainRoot, 'supabase'), path.join(root, 'supabase'), { recursive: true });
    writeFileSync(path.join(root, '.supagate-bench'), 'copied by bench/run.js\n');
    results.projects.precommit = { root: path.relative(REPO, root), copiedFrom: mainRoot };
  } else {
    log(`pre-commit: generating ${size.precommit.migrations} migrations + ${size.precommit.functions} functions …`);
    const manifest = generateProject(root, { ...size.precommit, seed });
    results.projects.precommit = { root: path.relative(REPO, root), generated: true, ...manifest.options };
  }
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'bench: initial');
  // One changed function and one changed migration, staged.
  const fnDir = path.join(root, 'supabase/functions');
  const fnName = readdirSync(fnDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.') && existsSync(path.join(fnDir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort()[0];
  const fnFile = path.join(fnDir, fnName, 'index.ts');
  appendFileSync(fnFile, '\nconsole.info({ event: "bench_edit", at: new Date().toISOString() })\n');
  const migDir = path.join(root, 'supabase/migrations');
  const migName = readdirSync(migDir)
    .filter((n) => n.endsWith('.sql'))
    .sort()
    .at(-1);
  appendFileSync(path.join(migDir, migName), "\ncomment on schema public is 'standard public schema (revisado)';\n");
  git(root, 'add', path.relative(root, fnFile), path.join('supabase/migrations', migName));
  const staged = git(root, 'diff', '--cached', '--name-only').trim().split('\n');
  results.projects.precommit.staged = staged;
  results.projects.precommit.migrationFiles = countFiles(migDir, (n) => n.endsWith('.sql'));
  results.projects.precommit.functionFiles = countFiles(fnDir, (n) => n.endsWith('.ts'));

  log(`pre-commit: supagate gate --staged, cold then warm, ${runs} runs …`);
  const argv = [process.execPath, CLI, 'gate', '.', '--staged', '--format', 'json'];
  const cold = [];
  const warm = [];
  const noCache = [];
  const nodeFloor = [];
  const version = [];
  // Warm the OS file cache.
  clearCache(root);
  measureProcess(argv, { cwd: root });
  for (let i = 0; i < runs; i++) {
    clearCache(root);
    cold.push(measureProcess(argv, { cwd: root }));
    warm.push(measureProcess(argv, { cwd: root }));
    if (hasNoCache) noCache.push(measureProcess([...argv, '--no-cache'], { cwd: root }));
    // Context: node itself, and loading the CLI's modules without doing anything.
    nodeFloor.push(measureProcess([process.execPath, '-e', '0'], { cwd: root }));
    version.push(measureProcess([process.execPath, CLI, '--version'], { cwd: root }));
  }
  const cacheDir = path.join(root, 'node_modules/.cache/supagate');
  results.measurements.precommit = {
    what: 'supagate gate --staged (1 function + 1 migration staged): cold = cache cleared, warm = the run right after',
    coldMs: cold.map((x) => x.ms),
    warmMs: warm.map((x) => x.ms),
    noCacheMs: noCache.map((x) => x.ms),
    medianColdMs: median(cold.map((x) => x.ms)),
    medianWarmMs: median(warm.map((x) => x.ms)),
    medianNoCacheMs: noCache.length ? median(noCache.map((x) => x.ms)) : null,
    cpuMs: {
      cold: cpuMedian(cold),
      warm: cpuMedian(warm),
      noCache: cpuMedian(noCache),
      nodeStartup: cpuMedian(nodeFloor),
      cliVersion: cpuMedian(version),
    },
    nodeStartupMs: median(nodeFloor.map((x) => x.ms)),
    cliVersionMs: median(version.map((x) => x.ms)),
    target: TARGETS.precommitWarmMs,
    cacheFlag: hasNoCache ? '--no-cache supported' : 'no --no-cache flag in this build: measured without a cache',
    cacheDirExists: existsSync(cacheDir),
  };
}

// ---------------------------------------------------------------------------------------------

results.loadAverageAtEnd = os.loadavg().map((x) => Number(x.toFixed(2)));
results.durationS = Math.round((Date.now() - started.getTime()) / 1000);
writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const m = results.measurements;
const s = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
const verdict = (ok) => (ok ? 'meets' : 'MISSES');
const x = (r) => (r === null || r === undefined ? '' : `${r.toFixed(2)}×`);
const rows = [['measurement', 'A (median)', 'B (median)', 'result (wall)', 'CPU ratio', 'target', '']];
if (m.sqlFloor) {
  rows.push([`SQL floor: sql-lint ÷ libpg-query parse (${m.sqlFloor.files} files)`, s(median(m.sqlFloor.aMs)), s(median(m.sqlFloor.bMs)), `${m.sqlFloor.ratio.toFixed(2)}×`, x(m.sqlFloor.cpuRatio), `≤ ${TARGETS.floor}×`, verdict(m.sqlFloor.ratio <= TARGETS.floor)]);
}
if (m.sqlPeer) {
  rows.push([`SQL peer: sql-only process ÷ squawk (${m.sqlPeer.files} files)`, s(median(m.sqlPeer.aMs)), s(median(m.sqlPeer.bMs)), `${m.sqlPeer.ratio.toFixed(2)}×`, x(m.sqlPeer.cpuRatio), `≤ ${TARGETS.peer}×`, verdict(m.sqlPeer.ratio <= TARGETS.peer)]);
  const c = m.sqlPeerCached;
  rows.push(['SQL peer, cached: supagate gate (migrations only), history unchanged ÷ squawk', s(median(c.unchangedMs)), s(median(m.sqlPeer.bMs)), `${c.unchangedRatio.toFixed(2)}×`, x(c.unchangedCpuRatio), `≤ ${TARGETS.peer}×`, verdict(c.unchangedRatio <= TARGETS.peer)]);
  rows.push(['SQL peer, cached: … newest migration edited ÷ squawk', s(median(c.newestChangedMs)), s(median(m.sqlPeer.bMs)), `${c.newestChangedRatio.toFixed(2)}×`, x(c.newestChangedCpuRatio), `≤ ${TARGETS.peer}×`, verdict(c.newestChangedRatio <= TARGETS.peer)]);
  rows.push(['  context: full supagate gate ÷ squawk (cold)', s(m.fullGate.medianMs), s(median(m.sqlPeer.bMs)), `${m.fullGate.ratioToSquawk.toFixed(2)}×`, x(m.fullGate.cpuRatioToSquawk), '—', '']);
}
if (m.eslint) {
  rows.push([`ESLint: recommended ÷ parser only (${m.eslint.files} files)`, s(median(m.eslint.aMs)), s(median(m.eslint.bMs)), `${m.eslint.ratio.toFixed(2)}×`, x(m.eslint.cpuRatio), `≤ ${TARGETS.eslint}×`, verdict(m.eslint.ratio <= TARGETS.eslint)]);
}
if (m.precommit) {
  const p = m.precommit;
  const c = (v) => (v === null ? '' : `cpu ${s(v)}`);
  rows.push(['Pre-commit gate --staged, warm (wall)', '', '', s(p.medianWarmMs), c(p.cpuMs.warm), `≤ ${s(TARGETS.precommitWarmMs)}`, verdict(p.medianWarmMs <= TARGETS.precommitWarmMs)]);
  rows.push(['Pre-commit gate --staged, cold (wall)', '', '', s(p.medianColdMs), c(p.cpuMs.cold), '—', '']);
  if (p.medianNoCacheMs !== null) rows.push(['  context: --staged --no-cache', '', '', s(p.medianNoCacheMs), c(p.cpuMs.noCache), '—', '']);
  rows.push(['  context: node -e 0', '', '', s(p.nodeStartupMs), c(p.cpuMs.nodeStartup), '—', '']);
  rows.push(['  context: supagate --version (module loading)', '', '', s(p.cliVersionMs), c(p.cpuMs.cliVersion), '—', '']);
}
if (m.memory) {
  rows.push([`Memory: peak RSS of gate (${results.projects.main.migrationFiles} mig. + ${results.projects.main.functionFiles} fn files)`, '', '', m.memory.peakRssMb === null ? 'n/a' : `${Math.round(m.memory.peakRssMb)} MB`, '', `≤ ${TARGETS.peakRssMb} MB`, m.memory.peakRssMb === null ? '' : verdict(m.memory.peakRssMb <= TARGETS.peakRssMb)]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
const ma = results.machine;
process.stdout.write(`\nsupagate bench — ${ma.nproc} × ${ma.cpu}, node ${ma.node}, ${runs} runs, load ${results.loadAverageAtStart.join(' ')} → ${results.loadAverageAtEnd.join(' ')}\n\n`);
process.stdout.write(`${line(rows[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.slice(1).map(line).join('\n')}\n`);
if (m.precommit && !hasNoCache) process.stdout.write(`\nnote: ${m.precommit.cacheFlag}\n`);
process.stdout.write(`\nwrote ${path.relative(process.cwd(), path.join(OUT, 'results.json'))} (${results.durationS} s)\n`);
