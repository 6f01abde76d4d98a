import { ESLintUtils } from '@typescript-eslint/utils';

export const DOCS_BASE_URL = 'https://github.com/supagate/supagate/blob/main/docs/rules/';

export interface SupagateRuleDocs {
  description: string;
  /** Gate of the integration checklist this rule belongs to (see DESIGN.md). */
  gate: 'plan' | 'edge-function' | 'migration' | 'tenant-isolation' | 'observability' | 'release';
  recommended?: boolean;
}

export const createRule = ESLintUtils.RuleCreator<SupagateRuleDocs>((name) => `${DOCS_BASE_URL}${name}.md`);
