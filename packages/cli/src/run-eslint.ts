import path from 'node:path';
import { ESLint, type Linter, type Rule } from 'eslint';
import supagate, { recommendedConfig } from '@supagate/eslint-plugin';
import type { Cache } from './cache.js';
import type { Finding } from './findings.js';
import { gateOf, loadRuleCatalog, RULE_PREFIX } from './gates.js';
import type { Project } from './project.js';

/** Source files ESLint looks at; the plugin's configs decide which rules apply where. */
const SOURCE_PATTERNS = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];
const IGNORES = [
  '**/node_modules/**',
  '**/dist/**',
  '**/build/**',
  '**/.next/**',
  '**/.nuxt/**',
  '**/.output/**',
  '**/coverage/**',
  '**/*.d.ts',
  '**/*.min.js',
  'supabase/.temp/**',
  'supabase/.branches/**',
];

/** Marks a rule crash reported through ESLint, so it survives ESLint's cache like any result. */
export const CRASH_MARKER = '\u0000supagate-crash\u0000';

export interface EslintRunOptions {
  /** Passed to the rules as `settings.supagate`. */
  settings: Record<string, unknown>;
  /** Edge functions directory relative to the root. */
  functionsDir: string;
  /** Globs of sources to lint (default: every JS/TS file). */
  patterns?: string[];
  /** Extra globs never linted. */
  ignores?: string[];
  /** Restrict to these files (absolute); all source files when unset. */
  files?: string[];
  /** Severity per rule id from the configuration. */
  ruleSeverities?: Record<string, 'off' | 'warn' | 'error'>;
  /** Options per rule id (bare), keeping the configured or default severity. */
  ruleOptions?: Record<string, unknown[]>;
  /** ESLint's own content-hash cache lives in it when set. */
  cache?: Cache;
}

export interface EslintRun {
  findings: Finding[];
  filesLinted: number;
  /** Files ESLint looked at (relative to the root), findings or not. */
  files: string[];
}

/** Runs ESLint with supagate's recommended config only (not the project's own config). */
export async function runEslint(project: Project, options: EslintRunOptions): Promise<EslintRun> {
  await loadRuleCatalog();
  const guarded = guardRules(supagate as unknown as ESLint.Plugin);
  const recommended = (recommendedConfig({ functionsDir: options.functionsDir, migrationsDir: false }) as unknown as Linter.Config[]).map((config) => ({
    ...config,
    plugins: { '@supagate': guarded },
    rules: adjustRules((config.rules ?? {}) as Linter.RulesRecord, options),
  }));
  const eslint = new ESLint({
    cwd: project.root,
    overrideConfigFile: true,
    overrideConfig: [{ ignores: [...IGNORES, ...(options.ignores ?? [])] }, ...recommended, { settings: { supagate: options.settings } }],
    errorOnUnmatchedPattern: false,
    warnIgnored: false,
    ...(options.cache ? { cache: true, cacheLocation: options.cache.eslintCacheFile(), cacheStrategy: 'content' as const } : {}),
  });
  const patterns = options.files ?? [...new Set([`${options.functionsDir}/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}`, ...(options.patterns ?? SOURCE_PATTERNS)])];
  const results = patterns.length === 0 ? [] : await eslint.lintFiles(patterns);
  const findings: Finding[] = [];
  const files: string[] = [];
  for (const result of results) {
    const file = relative(project, result.filePath);
    files.push(file);
    for (const message of result.messages) findings.push(toFinding(file, message));
  }
  return { findings, filesLinted: results.length, files };
}

function toFinding(file: string, message: Linter.LintMessage): Finding {
  const at = {
    file,
    line: message.line || 1,
    column: message.column || 1,
    endLine: message.endLine ?? message.line ?? 1,
    endColumn: message.endColumn ?? message.column ?? 1,
  };
  if (message.ruleId && message.message.startsWith(CRASH_MARKER)) {
    return {
      ruleId: `${RULE_PREFIX}internal-error`,
      severity: 'error',
      gate: gateOf(message.ruleId, 'edge-function'),
      ...at,
      message: `rule ${message.ruleId} crashed on this file (${message.message.slice(CRASH_MARKER.length)}); the other rules still ran — please report it`,
    };
  }
  const ruleId = message.ruleId ?? `${RULE_PREFIX}parse-error`;
  return {
    ruleId,
    severity: message.severity === 2 ? 'error' : 'warning',
    gate: gateOf(ruleId, 'edge-function'),
    ...at,
    message: message.ruleId ? message.message : `cannot parse this file: ${message.message}`,
  };
}

/** Applies configured severities and options to the rules a recommended config enables. */
function adjustRules(rules: Linter.RulesRecord, options: EslintRunOptions): Linter.RulesRecord {
  const out: Linter.RulesRecord = {};
  for (const [id, entry] of Object.entries(rules)) {
    const bare = id.slice(RULE_PREFIX.length);
    const configured = options.ruleSeverities?.[id] ?? options.ruleSeverities?.[bare];
    const severity = configured ?? (Array.isArray(entry) ? entry[0] : entry);
    const ruleOptions = options.ruleOptions?.[bare];
    out[id] = ruleOptions ? [severity, ...ruleOptions] : severity;
  }
  return out;
}

/**
 * Wraps every rule so that one throwing on one file becomes a report on that file
 * (turned into an `internal-error` finding) instead of aborting ESLint's whole run.
 */
export function guardRules(plugin: ESLint.Plugin): ESLint.Plugin {
  const rules: Record<string, Rule.RuleModule> = {};
  for (const [id, rule] of Object.entries(plugin.rules ?? {}) as Array<[string, Rule.RuleModule]>) {
    rules[id] = {
      ...rule,
      create(context) {
        let crashed = false;
        const record = (error: unknown, node: unknown) => {
          crashed = true;
          const start = (node as { loc?: { start: { line: number; column: number } } } | undefined)?.loc?.start;
          const reason = error instanceof Error ? error.message.split('\n')[0] : String(error).split('\n')[0];
          context.report({ loc: start ?? { line: 1, column: 0 }, message: `${CRASH_MARKER}${reason}` });
        };
        let listeners: Rule.RuleListener;
        try {
          listeners = rule.create(context);
        } catch (error) {
          record(error, undefined);
          return {};
        }
        const wrapped: Rule.RuleListener = {};
        for (const [selector, listener] of Object.entries(listeners)) {
          if (typeof listener !== 'function') continue;
          wrapped[selector] = function guardedListener(this: unknown, ...args: unknown[]) {
            if (crashed) return;
            try {
              return (listener as (...a: unknown[]) => unknown).apply(this, args);
            } catch (error) {
              record(error, args[0]);
            }
          } as Rule.RuleListener[string];
        }
        return wrapped;
      },
    };
  }
  return { ...plugin, rules };
}

function relative(project: Project, file: string): string {
  return path.relative(project.root, file).split(path.sep).join('/');
}
