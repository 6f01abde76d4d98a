import { noUserMetadataInPolicy } from './no-user-metadata-in-policy.js';
import { opaqueStatement } from './opaque-statement.js';
import { policyWithoutRls } from './policy-without-rls.js';
import { requireRls } from './require-rls.js';
import { requireTenantColumn } from './require-tenant-column.js';
import { requireTenantPolicy } from './require-tenant-policy.js';
import { rlsWithoutPolicy } from './rls-without-policy.js';
import type { SqlRule, SqlRuleMeta } from './rule.js';
import { securityDefinerSearchPath } from './security-definer-search-path.js';
import { syntaxError } from './syntax-error.js';
import { viewBypassesRls } from './view-bypasses-rls.js';

/** Rules that look at the parsed files and the replayed model. */
export const modelRules: SqlRule[] = [
  syntaxError,
  requireRls,
  requireTenantColumn,
  requireTenantPolicy,
  securityDefinerSearchPath,
  policyWithoutRls,
  rlsWithoutPolicy,
  viewBypassesRls,
  noUserMetadataInPolicy,
  opaqueStatement,
];

/** Findings the engine itself produces. */
const engineRules: SqlRuleMeta[] = [
  {
    id: 'unused-suppression',
    description: 'A supagate-ignore comment that suppresses nothing (or names an unknown rule).',
    defaultSeverity: 'warning',
    docsPath: 'docs/rules/unused-suppression.md',
    gate: 'migration',
  },
  {
    id: 'internal-error',
    description: 'A rule failed on this file; the other rules and files were still checked.',
    defaultSeverity: 'error',
    docsPath: 'docs/rules/internal-error.md',
    gate: 'migration',
  },
];

/** Metadata of every SQL rule id, for listings. */
export const sqlRules: Readonly<Record<string, SqlRuleMeta>> = Object.freeze(
  Object.fromEntries([...modelRules.map((r) => r.meta), ...engineRules].map((m) => [m.id, m])),
);
