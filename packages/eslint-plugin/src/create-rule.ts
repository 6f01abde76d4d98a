import { ESLintUtils } from '@typescript-eslint/utils';
import { DOCS_BASE_URL } from './docs-url.js';

export { DOCS_BASE_URL };

export interface SupagateRuleDocs {
  description: string;
  /** Gate of the integration checklist this rule belongs to (see DESIGN.md). */
  gate: 'plan' | 'edge-function' | 'migration' | 'tenant-isolation' | 'observability' | 'release';
  recommended?: boolean;
}

const createDocumentedRule = ESLintUtils.RuleCreator<SupagateRuleDocs>((name) => `${DOCS_BASE_URL}${name}.md`);

/**
 * typescript-eslint's RuleCreator (meta, docs URL from the rule's name, defaults), with the
 * options merged once per configuration instead of once per linted file: the stock
 * RuleCreator deep-clones the default options for every rule on every file, which cost
 * more than some rules. ESLint hands every file the same options array for a rule
 * configured as `'error'` (its `meta.defaultOptions`), so merged options are cached by
 * that array's identity, and for no options at all. Rules only read their options.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  definition: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, SupagateRuleDocs>>,
): ReturnType<typeof createDocumentedRule<Options, MessageIds>> {
  const rule = createDocumentedRule<Options, MessageIds>(definition);
  // What RuleCreator merges the user's options into.
  const defaults = (definition.meta.defaultOptions ?? definition.defaultOptions ?? []) as Readonly<Options>;
  const byUserOptions = new WeakMap<object, Readonly<Options>>();
  let withoutUserOptions: Readonly<Options> | undefined;
  const optionsFor = (user: Options | null | undefined): Readonly<Options> => {
    if (user == null || user.length === 0) {
      withoutUserOptions ??= ESLintUtils.applyDefault(defaults, user ?? null);
      return withoutUserOptions;
    }
    let merged = byUserOptions.get(user);
    if (!merged) {
      merged = ESLintUtils.applyDefault(defaults, user);
      byUserOptions.set(user, merged);
    }
    return merged;
  };
  return { ...rule, create: (context) => definition.create(context, optionsFor(context.options as Options)) };
}

