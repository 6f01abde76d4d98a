import { DOCS_BASE_URL } from '@supagate/eslint-plugin/light';
import { sqlRules } from '@supagate/sql-lint/rules';
import type { Finding, FindingSeverity } from '../findings.js';
import type { GateReport } from '../gate.js';
import { bareRuleId, gateOf, RULE_PREFIX, RULES, type RuleInfo } from '../gates.js';
import { assignFingerprints, ciPath, FINGERPRINT_VERSION } from './fingerprint.js';
import { docsUrl } from './stylish.js';

/**
 * SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`) and any other
 * SARIF viewer: one run, every supagate rule in `tool.driver.rules` with its docs as
 * `helpUri`, one result per finding located relative to `%SRCROOT%` (the directory the
 * CLI ran in: the checkout root in CI), with a `partialFingerprints` entry that survives
 * unrelated edits so code scanning keeps tracking the same alert.
 */
export interface SarifOptions {
  /** Directory the findings' files are relative to (the scanned root); default `report.root`. */
  rootDir?: string;
  /** Working directory that `%SRCROOT%` stands for; default `process.cwd()`. */
  cwd?: string;
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** partialFingerprints key: tool-specific name plus scheme version, as SARIF §3.27.17 suggests. */
export const SARIF_FINGERPRINT_KEY = `supagate/${FINGERPRINT_VERSION}`;
const SRCROOT = '%SRCROOT%';
const INFORMATION_URI = DOCS_BASE_URL.replace(/\/blob\/.*$/, '');

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<FindingSeverity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(report: GateReport, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(report, options), null, 2)}\n`;
}

export function buildSarif(report: GateReport, options: SarifOptions = {}) {
  const rules = ruleTable(report.findings);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const fingerprints = assignFingerprints(report, options.rootDir ?? report.root);

  const results = report.findings.map((f, i) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId)!,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeUriPath(ciPath(report.root, f.file, options.cwd)), uriBaseId: SRCROOT },
          region: region(f),
        },
      },
    ],
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: fingerprints[i] },
    properties: { gate: f.gate, ...(f.object ? { object: f.object } : {}) },
  }));

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: report.tool,
            version: report.version,
            semanticVersion: report.version,
            informationUri: INFORMATION_URI,
            rules: rules.map((r) => r.descriptor),
          },
        },
        columnKind: 'utf16CodeUnits' as const,
        results,
      },
    ],
  };
}

interface RuleEntry {
  id: string;
  descriptor: {
    id: string;
    name: string;
    shortDescription: { text: string };
    helpUri: string;
    help: { text: string; markdown: string };
    defaultConfiguration: { level: SarifLevel };
    properties: { gate: string; tags: string[] };
  };
}

/** Every known rule (so an uploaded run documents the whole rule set), plus any id a finding carries that the table lacks. */
function ruleTable(findings: Finding[]): RuleEntry[] {
  const out: RuleEntry[] = RULES.map((rule) => entry(`${RULE_PREFIX}${rule.id}`, rule));
  const known = new Set(out.map((r) => r.id));
  for (const f of findings) {
    if (known.has(f.ruleId)) continue;
    known.add(f.ruleId);
    out.push(entry(f.ruleId, { id: bareRuleId(f.ruleId), gate: gateOf(f.ruleId, f.gate), engine: 'cli', description: '' }, f.severity));
  }
  return out;
}

/** `severity`: for an id the rule table lacks, the level of the finding that carries it. */
function entry(id: string, rule: RuleInfo, severity?: FindingSeverity): RuleEntry {
  const helpUri = docsUrl(id);
  const description = rule.description.trim() || `supagate rule ${rule.id}`;
  return {
    id,
    descriptor: {
      id,
      name: rule.id,
      shortDescription: { text: description },
      helpUri,
      help: { text: `${description}${/[.!?]$/.test(description) ? '' : '.'} See ${helpUri}`, markdown: `${description}\n\n[Documentation](${helpUri})` },
      defaultConfiguration: { level: LEVEL[severity ?? defaultSeverity(rule)] },
      properties: { gate: rule.gate, tags: ['supagate', rule.gate] },
    },
  };
}

/**
 * SQL rules carry their own default (the ESLint plugin re-exports them, so look them up by id);
 * the TypeScript rules are `error` in the recommended config.
 */
function defaultSeverity(rule: RuleInfo): FindingSeverity {
  const sql = sqlRules[rule.id];
  if (sql) return sql.defaultSeverity;
  return 'error';
}

/** 1-based, end after start: what SARIF (§3.30) and code scanning require of a region. */
function region(f: Finding) {
  const startLine = Math.max(1, f.line);
  const startColumn = Math.max(1, f.column);
  const endLine = Math.max(startLine, f.endLine);
  const endColumn = endLine === startLine ? Math.max(startColumn, f.endColumn) : Math.max(1, f.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

/** A relative URI reference: each path segment percent-encoded, so spaces, `#` or `%` in file names stay one path. */
function encodeUriPath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}
