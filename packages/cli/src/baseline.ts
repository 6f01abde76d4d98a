import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from './errors.js';
import type { Finding } from './findings.js';

/**
 * A baseline accepts the findings a project already has, so a gate can be adopted on
 * an old code base and still fail on anything new. Entries are fingerprints (rule, file,
 * the offending line's text, occurrence) — they survive unrelated edits that move lines.
 */
export interface BaselineFile {
  tool: 'supagate';
  version: 1;
  findings: Array<{ fingerprint: string; ruleId: string; file: string; message: string }>;
}

export function readBaseline(file: string): Set<string> {
  if (!existsSync(file)) throw new UsageError(`baseline not found: ${file} (create it with --update-baseline)`);
  let data: BaselineFile;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as BaselineFile;
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (data?.tool !== 'supagate' || data.version !== 1 || !Array.isArray(data.findings)) {
    throw new UsageError(`${file} is not a supagate baseline (expected {"tool": "supagate", "version": 1, "findings": [...]})`);
  }
  return new Set(data.findings.map((f) => f.fingerprint));
}

export function writeBaseline(file: string, findings: Finding[], fingerprints: string[]): void {
  const data: BaselineFile = {
    tool: 'supagate',
    version: 1,
    findings: findings.map((f, i) => ({ fingerprint: fingerprints[i], ruleId: f.ruleId, file: f.file, message: f.message })),
  };
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
