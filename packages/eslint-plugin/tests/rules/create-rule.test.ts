import { ESLintUtils } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { createRule, DOCS_BASE_URL } from '../../src/create-rule.js';

type Options = [{ a?: number; list?: string[]; nested?: { x?: boolean; y?: string } }];

const definition = {
  name: 'demo',
  meta: {
    type: 'problem' as const,
    docs: { description: 'demo', gate: 'edge-function' as const, recommended: true },
    messages: { m: 'm' },
    schema: [],
    defaultOptions: [{ a: 1, list: ['x'], nested: { x: true, y: 'y' } }] as Options,
  },
  defaultOptions: [{ a: 1, list: ['x'], nested: { x: true, y: 'y' } }] as Options,
};

describe('createRule', () => {
  it('has the meta, the docs URL from the name, the name and the defaults', () => {
    const created = createRule<Options, 'm'>({ ...definition, create: () => ({}) });
    expect(created.meta).toMatchObject({ ...definition.meta, docs: { ...definition.meta.docs, url: `${DOCS_BASE_URL}demo.md` } });
    expect(created.name).toBe('demo');
    expect(created.defaultOptions).toEqual(definition.defaultOptions);
  });

  it('merges options like RuleCreator, once per options array', () => {
    const seen: unknown[] = [];
    const rule = createRule<Options, 'm'>({
      ...definition,
      create: (_context, options) => {
        seen.push(options);
        return {};
      },
    });
    const user = [{ list: ['z'], nested: { y: 'w' } }];
    for (const options of [undefined, [], user, user, definition.meta.defaultOptions, definition.meta.defaultOptions]) {
      rule.create({ options } as never);
    }
    expect(seen[0]).toEqual(ESLintUtils.applyDefault(definition.meta.defaultOptions, null));
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toEqual(ESLintUtils.applyDefault(definition.meta.defaultOptions, user as Options));
    expect(seen[2]).toEqual([{ a: 1, list: ['z'], nested: { x: true, y: 'w' } }]);
    expect(seen[3]).toBe(seen[2]);
    expect(seen[4]).toEqual(definition.meta.defaultOptions);
    expect(seen[5]).toBe(seen[4]);
    // A different array with the same content is merged again (and gives the same).
    rule.create({ options: [{ list: ['z'], nested: { y: 'w' } }] } as never);
    expect(seen[6]).not.toBe(seen[2]);
    expect(seen[6]).toEqual(seen[2]);
  });
});
