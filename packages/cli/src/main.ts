import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { readBaseline, writeBaseline } from './baseline.js';
import { UsageError } from './errors.js';
import { assignFingerprints } from './report/fingerprint.js';
import { runGate, VERSION, type GateOptions, type GateReport } from './gate.js';
import { verifySummary } from './verify/summary.js';
import { init } from './init.js';
import { GATES, loadRuleCatalog, RULES } from './gates.js';
import { paletteFor } from './report/colors.js';
import { formatGithub } from './report/github.js';
import { formatGitlab } from './report/gitlab.js';
import { formatJson } from './report/json.js';
import { formatJunit } from './report/junit.js';
import { formatMarkdown } from './report/markdown.js';
import { formatSarif } from './report/sarif.js';
import { docsUrl, formatStylish } from './report/stylish.js';

const FORMATS = ['stylish', 'json', 'sarif', 'github', 'gitlab', 'junit', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `supagate ${VERSION} — the integration gate for Supabase projects

Usage:
  supagate gate [dir] [options]
    --format, -f FORMAT     stylish (default), json, sarif, github, gitlab, junit, markdown
    --output, -o FILE       write the report to FILE instead of stdout
    --config, -c FILE       configuration file (default: supagate.config.json or "supagate" in package.json)
    --staged                lint only what git has staged (pre-commit); migrations still replay the whole history
    --changed-since REF     lint only files changed since the merge base with REF (pull requests)
    --baseline FILE         report only findings not accepted in FILE
    --update-baseline       accept every current finding: write them to the --baseline FILE
    --tenant-column NAME    tenant column (default: clinic_id)
    --no-cache              do not read or write node_modules/.cache/supagate
    --debug                 print stack traces of internal errors
  supagate init [dir] [--write] [--hook husky|lefthook]
    writes supagate.config.json; with --write also eslint.config.js, the pre-commit hook
    and .github/workflows/supagate.yml (existing files are kept)
  supagate verify [dir] [--format FORMAT] [--output FILE] [--config FILE] [--tenant-column NAME]
                  [--membership-sql SQL] [--database-url URL] [--no-cache]
    replays the migrations into an embedded Postgres (PGlite) shaped like Supabase, reports
    statements Postgres rejects, and probes every tenant table as a member of another clinic;
    --membership-sql makes :user_id a member of :clinic_id when the probe cannot tell how;
    --database-url runs it on a real Postgres instead, in a throwaway database it creates and drops
  supagate gate --verify    adds the verify findings to the migration and tenant-isolation gates
  supagate rules
  supagate --help | --version

Exit codes: 0 gate passed, 1 error-level findings, 2 usage or configuration error.
`;

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

const processIo: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`supagate: ${error.message}\n`);
      return 2;
    }
    io.stderr.write(`supagate: internal error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    else io.stderr.write('(run again with --debug for details)\n');
    return 2;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === 'gate') return gateCommand(rest, io);
  if (command === 'rules') return rulesCommand(io);
  if (command === 'init') return initCommand(rest, io);
  if (command === 'verify') return verifyCommand(rest, io);
  throw new UsageError(`unknown command '${command}' (try: supagate gate [dir])`);
}

async function gateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCli(argv, {
    format: { type: 'string', short: 'f', default: 'stylish' },
    output: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    'tenant-column': { type: 'string' },
    staged: { type: 'boolean' },
    baseline: { type: 'string' },
    'no-cache': { type: 'boolean' },
    'update-baseline': { type: 'boolean' },
    'changed-since': { type: 'string' },
    verify: { type: 'boolean' },
    'membership-sql': { type: 'string' },
    'database-url': { type: 'string' },
    debug: { type: 'boolean' },
  });
  if (values.staged && values['changed-since']) throw new UsageError('--staged and --changed-since cannot be used together');
  if (values['update-baseline'] && !values.baseline) throw new UsageError('--update-baseline needs --baseline FILE (where to write it)');
  if (positionals.length > 1) throw new UsageError(`gate takes one directory, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = values.format as string;
  if (!FORMATS.includes(format as Format)) throw new UsageError(`unknown format '${format}' (one of: ${FORMATS.join(', ')})`);
  const root = positionals[0] ?? '.';
  const baselineFile = values.baseline as string | undefined;
  const updating = values['update-baseline'] === true;
  const report = await runGate(root, {
    configPath: values.config as string | undefined,
    tenantColumn: values['tenant-column'] as string | undefined,
    staged: values.staged as boolean | undefined,
    changedSince: values['changed-since'] as string | undefined,
    baseline: baselineFile && !updating ? readBaseline(baselineFile) : undefined,
    cache: values['no-cache'] !== true,
    ...verifyFlags(values, io),
  });
  if (updating && baselineFile) {
    writeBaseline(baselineFile, report.findings, assignFingerprints(report, path.resolve(root)));
    io.stderr.write(`supagate: wrote ${report.findings.length} finding(s) to ${baselineFile}; later runs with --baseline report only new ones\n`);
    return 0;
  }
  // SARIF lists every rule, so it needs the whole catalog (the plugin); other formats do not.
  if (format === 'sarif') await loadRuleCatalog();
  const text = render(report, format as Format, root, values.output ? { isTTY: false } : io.stdout, io.env);
  if (values.output) writeOutput(values.output as string, text);
  else io.stdout.write(text);
  return report.summary.errors > 0 ? 1 : 0;
}

/** `gate --verify [--membership-sql SQL] [--database-url URL]`. */
function verifyFlags(values: Record<string, unknown>, io: Io): Pick<GateOptions, 'verify' | 'onVerify'> {
  const url = values['database-url'] as string | undefined;
  const membershipSql = values['membership-sql'] as string | undefined;
  if (!values.verify) {
    if (url !== undefined || membershipSql !== undefined) throw new UsageError('--database-url and --membership-sql need --verify');
    return {};
  }
  return {
    verify: { ...(url !== undefined ? { databaseUrl: url } : {}), ...(membershipSql !== undefined ? { membershipSql } : {}) },
    onVerify: (result) => io.stderr.write(`supagate: ${verifySummary(result)}\n`),
  };
}

async function verifyCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCli(argv, {
    format: { type: 'string', short: 'f', default: 'stylish' },
    output: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    'tenant-column': { type: 'string' },
    'membership-sql': { type: 'string' },
    'database-url': { type: 'string' },
    'no-cache': { type: 'boolean' },
    debug: { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError(`verify takes one directory, got ${positionals.length}: ${positionals.join(' ')}`);
  const format = values.format as string;
  if (!FORMATS.includes(format as Format)) throw new UsageError(`unknown format '${format}' (one of: ${FORMATS.join(', ')})`);
  const root = positionals[0] ?? '.';
  const { verifyReport } = await import('./verify/report.js');
  const { report, result } = await verifyReport(
    root,
    {
      configPath: values.config as string | undefined,
      tenantColumn: values['tenant-column'] as string | undefined,
      membershipSql: values['membership-sql'] as string | undefined,
      databaseUrl: values['database-url'] as string | undefined,
      cache: !values['no-cache'],
    },
    VERSION,
  );
  io.stderr.write(`supagate: ${verifySummary(result)}\n`);
  // SARIF lists every rule, so it needs the whole catalog (the plugin); other formats do not.
  if (format === 'sarif') await loadRuleCatalog();
  const text = render(report, format as Format, root, values.output ? { isTTY: false } : io.stdout, io.env);
  if (values.output) writeOutput(values.output as string, text);
  else io.stdout.write(text);
  return report.summary.errors > 0 ? 1 : 0;
}

function render(report: GateReport, format: Format, root: string, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'stylish':
      return formatStylish(report, root, paletteFor(stream, env));
    case 'sarif':
      return formatSarif(report, { rootDir: root });
    case 'github':
      return formatGithub(report);
    case 'gitlab':
      return formatGitlab(report, { rootDir: root });
    case 'junit':
      return formatJunit(report);
    case 'markdown':
      return formatMarkdown(report);
  }
}

function initCommand(argv: string[], io: Io): number {
  const { values, positionals } = parseCli(argv, {
    write: { type: 'boolean' },
    hook: { type: 'string', default: 'husky' },
  });
  const hook = values.hook as string;
  if (hook !== 'husky' && hook !== 'lefthook') throw new UsageError(`unknown hook '${hook}' (one of: husky, lefthook)`);
  if (positionals.length > 1) throw new UsageError(`init takes one directory, got ${positionals.length}`);
  const result = init(positionals[0] ?? '.', { write: values.write === true, hook });
  for (const file of result.written) io.stdout.write(`wrote ${file}\n`);
  for (const file of result.skipped) io.stdout.write(`kept ${file} (already exists)\n`);
  if (result.printed) {
    io.stdout.write(`\nAdd these (or run \`supagate init --write\` to create them):\n\n${result.printed}`);
  }
  return 0;
}

async function rulesCommand(io: Io): Promise<number> {
  await loadRuleCatalog();
  const lines: string[] = [];
  for (const gate of GATES) {
    lines.push(`${gate.title} — ${gate.question}`);
    for (const rule of RULES.filter((r) => r.gate === gate.id)) {
      lines.push(`  ${gate.id.padEnd(16)}  @supagate/${rule.id.padEnd(30)}  ${docsUrl(rule.id)}`);
    }
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** `--output FILE` that cannot be written is the caller's problem (exit 2), not an internal error. */
function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new UsageError(`cannot write --output ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }>;

function parseCli(argv: string[], options: OptionSpec) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages are one line and name the flag ("Unknown option '--x'").
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
}
