import type { VerifyResult } from './index.js';

/** One line for humans: what the run did (printed on stderr by the CLI). */
export function verifySummary(result: VerifyResult): string {
  const s = result.stats;
  const leaks = result.findings.filter((f) => f.ruleId.endsWith('/tenant-leak')).length;
  return [
    `verify: ${s.applied}/${s.statements} statements applied from ${s.migrations} migrations (${s.rejected} rejected${s.skippedStatements > 0 ? `, ${s.skippedStatements} skipped` : ''})`,
    `${result.probed.length} tables and views probed, ${leaks} leak${leaks === 1 ? '' : 's'}, ${result.skipped.length} not probed`,
    `${(s.durationMs / 1000).toFixed(1)} s`,
  ].join(' · ');
}
