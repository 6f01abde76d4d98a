import { ESLintUtils } from '@typescript-eslint/utils';
import { DOCS_BASE_URL } from './docs-url.js';

export { DOCS_BASE_URL };

export interface SupagateRuleDocs {
  description: string;
  /** Gate of the integration checklist this rule belongs to (see DESIGN.md). */
  gate: 'plan' | 'edge-function' | 'migration' | 'tenant-isolation' | 'observability' | 'release';
  recommended?: boolean;
}

export const createRule = ESLintUtils.RuleCreator<SupagateRuleDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
