import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { indexPosition, isFunction, STOP_WALK, treeIndex, walk, walkTree, walkTypes } from '../../src/analysis/ast.js';
import { parseModule } from '../helpers/parse.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Sources to compare walks on: the rule fixtures, plus a few shapes written here. */
function samples(): string[] {
  const out = [
    'const a = 1;',
    'export default { async fetch(req: Request) { const { a, b = 2, ...c } = await req.json(); return new Response(`${a}`); } };',
    'function f(x?: number): string { if (x) { for (const y of [1, 2]) { try { g(y) } catch (e) { h(e) } } } return "" }',
    'class A { #p = 1; m() { return this.#p } static { init() } }',
    'const o = { a, [k]: v, ...rest, m() {}, get g() { return 1 } }; label: for (;;) break label;',
  ];
  const fixtures = path.join(here, '..', '..', '..', '..', 'test-fixtures');
  const visit = (dir: string) => {
    let entries: import('node:fs').Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (/\.(ts|tsx|js)$/.test(e.name) && !e.name.endsWith('.d.ts') && out.length < 200) out.push(readFileSync(p, 'utf8'));
    }
  };
  visit(fixtures);
  return out;
}

type Trace = Array<[TSESTree.Node, TSESTree.Node | null]>;

function trace(walker: typeof walk, root: TSESTree.Node, skip: (n: TSESTree.Node) => boolean): Trace {
  const out: Trace = [];
  walker(root, (n, parent) => {
    out.push([n, parent]);
    return !skip(n);
  });
  return out;
}

describe('walk over the shared tree index', () => {
  it('visits the same nodes, with the same parents, in the same order as a direct traversal', () => {
    let compared = 0;
    for (const code of samples()) {
      let program: TSESTree.Program;
      try {
        program = parseModule(code);
      } catch {
        continue;
      }
      const roots: TSESTree.Node[] = [program];
      walkTree(program, (n) => {
        if (isFunction(n) || n.type === AST_NODE_TYPES.BlockStatement || n.type === AST_NODE_TYPES.CallExpression) roots.push(n);
      });
      for (const root of roots) {
        for (const skip of [() => false, (n: TSESTree.Node) => n !== root && isFunction(n)]) {
          const expected = trace(walkTree, root, skip);
          const actual = trace(walk, root, skip);
          expect(actual.length).toBe(expected.length);
          const differing = expected.findIndex(([n, parent], i) => actual[i][0] !== n || actual[i][1] !== parent);
          expect(differing).toBe(-1);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('walkTypes visits what a filtered walk visits, skipping the same subtrees', () => {
    const typeLists: AST_NODE_TYPES[][] = [
      [AST_NODE_TYPES.CallExpression],
      [AST_NODE_TYPES.Identifier],
      [AST_NODE_TYPES.VariableDeclarator, AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.ArrowFunctionExpression],
      [AST_NODE_TYPES.ReturnStatement, AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.FunctionExpression, AST_NODE_TYPES.ArrowFunctionExpression],
      [AST_NODE_TYPES.BlockStatement, AST_NODE_TYPES.CatchClause],
    ];
    let compared = 0;
    for (const code of samples().slice(0, 60)) {
      let program: TSESTree.Program;
      try {
        program = parseModule(code);
      } catch {
        continue;
      }
      const roots: TSESTree.Node[] = [program];
      walkTree(program, (n) => {
        if (isFunction(n) || n.type === AST_NODE_TYPES.BlockStatement) roots.push(n);
      });
      for (const root of roots) {
        for (const types of typeLists) {
          for (const skip of [() => false, (n: TSESTree.Node) => n !== root && (isFunction(n) || n.type === AST_NODE_TYPES.BlockStatement)]) {
            const set = new Set<string>(types);
            const expected = trace((r, v) => walkTree(r, (n, p) => (set.has(n.type) ? v(n, p) : true)), root, skip);
            const actual = trace((r, v) => walkTypes(r, types, v), root, skip);
            expect(actual.length).toBe(expected.length);
            expect(expected.findIndex(([n, parent], i) => actual[i][0] !== n || actual[i][1] !== parent)).toBe(-1);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('walkTypes stops at STOP_WALK, with or without an index', async () => {
    const code = 'const a = f(1); function g() { return h(2) + k(3) } m(4);';
    const { parse } = await import('@typescript-eslint/parser');
    for (const program of [parseModule(code), parse(code, { range: true, loc: true }) as TSESTree.Program]) {
      const seen: string[] = [];
      walkTypes(program, [AST_NODE_TYPES.CallExpression], (n) => {
        const callee = ((n as TSESTree.CallExpression).callee as TSESTree.Identifier).name;
        seen.push(callee);
        return callee === 'h' ? STOP_WALK : true;
      });
      expect(seen).toEqual(['f', 'h']);
    }
  });

  it('indexes every node of a Program once, with subtree ends', () => {
    const program = parseModule('function f(a) { return a + g(() => 1) }\nconst x = [1, { y: 2 }];');
    const index = treeIndex(program);
    expect(index.nodes[0]).toBe(program);
    expect(index.ends[0]).toBe(index.nodes.length);
    for (let i = 0; i < index.nodes.length; i++) {
      expect(indexPosition(index, index.nodes[i])).toBe(i);
      expect(index.ends[i]).toBeGreaterThan(i);
      if (i > 0) expect(index.parents[i]).toBe(index.nodes[i].parent);
    }
  });

  it('falls back to a direct traversal for nodes outside the index', () => {
    const program = parseModule('const n: Array<{ a: string }> = [];');
    let annotation: TSESTree.Node | null = null;
    walkTree(program, (n) => {
      if (n.type === AST_NODE_TYPES.VariableDeclarator) annotation = (n.id as TSESTree.Identifier).typeAnnotation ?? null;
    });
    expect(annotation).not.toBeNull();
    const seen: string[] = [];
    walk(annotation!, (n) => void seen.push(n.type));
    expect(seen[0]).toBe(AST_NODE_TYPES.TSTypeAnnotation);
  });
});
