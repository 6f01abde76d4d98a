import { findSuppressions, suppresses, unusedSuppressionMessage, VERIFY_RULES, type ParsedFile, type Suppression } from '@supagate/sql-lint';
import type { Finding } from '../findings.js';
import { bareRuleId, RULE_PREFIX } from '../gates.js';

/**
 * `-- supagate-ignore tenant-leak -- reason` above a policy, view or table (or
 * `-- supagate-ignore-file …`) silences what verify reports there, as it does sql-lint's rules.
 * A verify-rule suppression that silences nothing is reported, since only verify can tell.
 */
export function applyVerifySuppressions(findings: Finding[], files: ParsedFile[]): Finding[] {
  const byFile = new Map<string, Suppression[]>();
  for (const file of files) {
    const own = findSuppressions(file).filter((s) => s.rules.some((r) => VERIFY_RULES.has(r)));
    if (own.length > 0) byFile.set(file.file.path, own);
  }
  if (byFile.size === 0) return findings;
  const kept = findings.filter((f) => {
    let suppressed = false;
    for (const s of byFile.get(f.file) ?? []) if (suppresses(s, bareRuleId(f.ruleId), f.line)) suppressed = true;
    return !suppressed;
  });
  for (const list of byFile.values()) {
    for (const s of list) {
      for (const rule of s.rules.filter((r) => VERIFY_RULES.has(r) && !s.used.has(r))) {
        kept.push({
          ruleId: `${RULE_PREFIX}unused-suppression`,
          severity: 'warning',
          gate: 'migration',
          file: s.at.file,
          line: s.at.line,
          column: s.at.column,
          endLine: s.at.endLine,
          endColumn: s.at.endColumn,
          message: unusedSuppressionMessage(s, rule, ' in this verify run'),
        });
      }
    }
  }
  return kept;
}
