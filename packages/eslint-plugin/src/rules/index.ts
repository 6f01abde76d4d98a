import type { TSESLint } from '@typescript-eslint/utils';

// One line per rule; the rule → gate mapping lives in each rule's meta.docs.gate.
export const rules: Record<string, TSESLint.RuleModule<string, readonly unknown[]>> = {
};
