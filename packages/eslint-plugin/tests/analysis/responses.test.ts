import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { walk, isFunction, type FunctionNode } from '../../src/analysis/ast.js';
import { describeResponse, hasErrorField } from '../../src/analysis/responses.js';
import { parseModule } from '../helpers/parse.js';

/** Describes the argument of the last `return` in the code. */
function lastReturn(code: string, honoContexts?: string[]) {
  const program = parseModule(code);
  const functions = new Map<string, FunctionNode>();
  let ret: TSESTree.ReturnStatement | null = null;
  walk(program, (n) => {
    if (n.type === AST_NODE_TYPES.FunctionDeclaration && n.id) functions.set(n.id.name, n);
    if (n.type === AST_NODE_TYPES.VariableDeclarator && n.id.type === AST_NODE_TYPES.Identifier && n.init && isFunction(n.init)) functions.set(n.id.name, n.init);
    if (n.type === AST_NODE_TYPES.ReturnStatement) ret = n;
  });
  const node = (ret as TSESTree.ReturnStatement | null)?.argument;
  if (!node) throw new Error('no return');
  return describeResponse(node, {
    honoContexts: honoContexts ? new Set(honoContexts) : undefined,
    resolveFunction: (call) => (call.callee.type === AST_NODE_TYPES.Identifier ? functions.get(call.callee.name) ?? null : null),
  });
}

describe('describeResponse', () => {
  it('reads new Response and Response.json statuses, defaulting to 200', () => {
    expect(lastReturn(`function f() { return new Response('x', { status: 404 }) }`)).toMatchObject({ status: 404, defaulted: false });
    expect(lastReturn(`function f() { return new Response(JSON.stringify({ error: 'x' })) }`)).toMatchObject({ status: 200, defaulted: true, hasErrorField: true });
    expect(lastReturn(`function f() { return Response.json({ erro: 'falhou' }, { status: 500, headers: cors }) }`)).toMatchObject({ status: 500, hasErrorField: true });
    expect(lastReturn(`function f() { return Response.redirect('https://x') }`)).toMatchObject({ status: 302 });
  });

  it('reads Hono context builders only on Hono contexts', () => {
    expect(lastReturn(`app.get('/', (c) => { return c.json({ error: 'x' }, 500) })`, ['c'])).toMatchObject({ status: 500, hasErrorField: true });
    expect(lastReturn(`app.get('/', (c) => { return c.text('ok') })`, ['c'])).toMatchObject({ status: 200, defaulted: true });
    expect(lastReturn(`function f(c) { return c.json({ a: 1 }) }`, [])).toBeNull();
  });

  it('follows response helpers: parameter defaults, spreads of init, fixed statuses', () => {
    const helper = `function jsonResponse(body, status = 200) { return new Response(JSON.stringify(body), { status, headers: cors }) }\n`;
    expect(lastReturn(`${helper} function f() { return jsonResponse({ error: 'x' }) }`)).toMatchObject({ status: 200, hasErrorField: true });
    expect(lastReturn(`${helper} function f() { return jsonResponse({ error: 'x' }, 401) }`)).toMatchObject({ status: 401 });
    const spread = `const json = (body, init = {}) => new Response(JSON.stringify(body), { ...init, headers: cors });\n`;
    expect(lastReturn(`${spread} function f() { return json({ ok: true }, { status: 201 }) }`)).toMatchObject({ status: 201 });
    expect(lastReturn(`function erro() { return new Response('x', { status: 500 }) } function f() { return erro() }`)).toMatchObject({ status: 500 });
  });

  it('does not guess statuses held in variables; trusts literals passed to unknown helpers', () => {
    expect(lastReturn(`function f(s) { return new Response('x', { status: s }) }`)).toMatchObject({ status: null });
    expect(lastReturn(`import { errorResponse } from 'x'; function f() { return errorResponse('falhou', 502) }`)).toMatchObject({ status: 502 });
    expect(lastReturn(`function f() { return console.error('x', 500) }`)).toBeNull();
  });
});

describe('hasErrorField', () => {
  it('ignores explicit null/empty errors', () => {
    const obj = (src: string) => {
      const program = parseModule(`const x = ${src};`);
      return ((program.body[0] as TSESTree.VariableDeclaration).declarations[0].init)!;
    };
    expect(hasErrorField(obj(`{ data, error: null }`))).toBe(false);
    expect(hasErrorField(obj(`{ error: undefined }`))).toBe(false);
    expect(hasErrorField(obj(`{ error }`))).toBe(true);
    expect(hasErrorField(obj(`{ errors: 3 }`))).toBe(false);
  });
});
