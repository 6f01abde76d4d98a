import { findSuppressions, VERIFY_RULES, type ParsedFile, type Suppression } from '@supagate/sql-lint';
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
    const rule = bareRuleId(f.ruleId);
    let suppressed = false;
    for (const s of byFile.get(f.file) ?? []) {
      if (!s.rules.includes(rule)) continue;
      if (s.scope === 'statement' && !(s.lines && f.line >= s.lines.from && f.line <= s.lines.to)) continue;
      s.used.add(rule);
      suppressed = true;
    }
    return !suppressed;
  });
  for (const list of byFile.values()) {
    for (const s of list) {
      for (const rule of s.rules.filter((r) => VERIFY_RULES.has(r) && !s.used.has(r))) {
        const directive = s.scope === 'file' ? 'supagate-ignore-file' : 'supagate-ignore';
        const where = s.scope === 'file' ? 'in this file' : s.lines ? 'on the next statement' : 'here: no statement follows it';
        kept.push({
          ruleId: `${RULE_PREFIX}unused-suppression`,
          severity: 'warning',
          gate: 'migration',
          file: s.at.file,
          line: s.at.line,
          column: s.at.column,
          endLine: s.at.endLine,
          endColumn: s.at.endColumn,
          message: `${directive} ${rule} suppresses nothing ${where} in this verify run — remove it, so a future problem there is not hidden.`,
        });
      }
    }
  }
  return kept;
}
