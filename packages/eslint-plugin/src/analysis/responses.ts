import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleePath, isFunction, propertyName, stringValue, unwrap, walk, type FunctionNode } from './ast.js';

/** What a response-building expression answers. */
export interface ResponseInfo {
  /** The HTTP status, when it can be told statically (a missing status is 200). */
  status: number | null;
  /** True when no status was given at all, so the platform answers 200. */
  defaulted: boolean;
  /** The body expression, when known (`{ error }` of `JSON.stringify({ error })`, `c.json(x)`'s `x`). */
  body: TSESTree.Node | null;
  /** The body is an object with an `error` (or `erro`) field that is not null/undefined. */
  hasErrorField: boolean;
  /** How the response is built, for messages: `new Response`, `Response.json`, `c.json`, `jsonResponse()`. */
  builder: string;
}

export interface ResponseContext {
  /** Names of Hono contexts in scope (`c`); `c.json(x, 500)` is a response only on them. */
  honoContexts?: ReadonlySet<string>;
  /** Resolves a call to a helper function (same file or a relative import) so its returned response can be read. */
  resolveFunction?: (call: TSESTree.CallExpression) => FunctionNode | null;
}

type Env = Map<string, TSESTree.Node | undefined>;

const HONO_BUILDERS: Record<string, number | undefined> = {
  json: 1, // c.json(body, status?)
  text: 1,
  html: 1,
  body: 1,
  newResponse: 1,
};
const CONSOLE_METHODS = new Set(['error', 'log', 'warn', 'info', 'debug', 'trace']);
const LOGGER_OBJECTS = new Set(['console', 'logger', 'log', 'Sentry', 'Deno', 'JSON', 'Math', 'Object', 'Promise']);
const ERROR_KEYS = new Set(['error', 'erro']);
const ERRORISH_HELPER = /(error|erro|fail|falha|badrequest|unauthori[sz]ed|forbidden|notfound|servererror|internal|problem)/i;

/** Describes a response-building expression, or returns null when it is not one (as far as can be told without types). */
export function describeResponse(node: TSESTree.Node, context: ResponseContext = {}): ResponseInfo | null {
  return evaluate(node, new Map(), context, 0);
}

/** True when an expression is a Response a handler answers with (any status). */
export function isResponseExpression(node: TSESTree.Node, context: ResponseContext = {}): boolean {
  return describeResponse(node, context) !== null;
}

function evaluate(node: TSESTree.Node, env: Env, context: ResponseContext, depth: number): ResponseInfo | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.NewExpression) {
    if (n.callee.type === AST_NODE_TYPES.Identifier && n.callee.name === 'Response') {
      return fromInit(n.arguments[0] ?? null, n.arguments[1], env, 'new Response');
    }
    return null;
  }
  if (n.type === AST_NODE_TYPES.ConditionalExpression) {
    const a = evaluate(n.consequent, env, context, depth);
    const b = evaluate(n.alternate, env, context, depth);
    if (!a || !b) return a ?? b;
    return {
      status: a.status === b.status ? a.status : null,
      defaulted: a.defaulted && b.defaulted,
      body: null,
      hasErrorField: false,
      builder: a.builder,
    };
  }
  if (n.type !== AST_NODE_TYPES.CallExpression) return null;
  const path = calleePath(n);
  const last = path?.[path.length - 1];
  if (path && path.length === 2 && path[0] === 'Response') {
    if (path[1] === 'json') return fromInit(n.arguments[0] ?? null, n.arguments[1], env, 'Response.json', true);
    if (path[1] === 'redirect') return { status: numberOf(n.arguments[1], env) ?? 302, defaulted: false, body: null, hasErrorField: false, builder: 'Response.redirect' };
    if (path[1] === 'error') return { status: 500, defaulted: false, body: null, hasErrorField: false, builder: 'Response.error' };
  }
  if (path && path.length === 2 && isHonoContext(path[0], context)) {
    const method = path[1];
    if (method in HONO_BUILDERS) {
      const body = n.arguments[0] ?? null;
      const statusArg = n.arguments[1];
      const builder = `${path[0]}.${method}`;
      if (!statusArg) return withBody({ status: 200, defaulted: true, body: null, hasErrorField: false, builder }, body, env, true);
      const status = numberOf(statusArg, env);
      if (status === null && statusArg.type === AST_NODE_TYPES.ObjectExpression) return fromInit(body, statusArg, env, builder, true);
      return withBody({ status, defaulted: false, body: null, hasErrorField: false, builder }, body, env, true);
    }
    if (method === 'redirect') return { status: numberOf(n.arguments[1], env) ?? 302, defaulted: false, body: null, hasErrorField: false, builder: `${path[0]}.redirect` };
    if (method === 'notFound') return { status: 404, defaulted: false, body: null, hasErrorField: false, builder: `${path[0]}.notFound` };
  }
  // A helper that builds the response: read its returned expression with parameters bound.
  if (depth < 4 && context.resolveFunction) {
    const fn = context.resolveFunction(n);
    if (fn) {
      const inner = evaluateHelper(fn, n, env, context, depth + 1);
      if (inner) return { ...inner, builder: `${last ?? 'helper'}()` };
      return null;
    }
  }
  // Unresolvable helpers: trust a status literal among the arguments, or an error-ish name.
  if (last && /(response|respond|reply|json|error|erro|fail|ok|success|unauthori[sz]ed|forbidden|badrequest|notfound)/i.test(last) && !/^(json|text)$/.test(last)) {
    if (!path || path.length > 2 || CONSOLE_METHODS.has(last) || (path.length === 2 && LOGGER_OBJECTS.has(path[0]))) return null;
    for (const arg of n.arguments) {
      const v = numberOf(arg, env);
      if (v !== null && v >= 100 && v <= 599) return withBody({ status: v, defaulted: false, body: null, hasErrorField: false, builder: `${last}()` }, n.arguments[0] ?? null, env, true);
    }
    if (ERRORISH_HELPER.test(last)) return { status: null, defaulted: false, body: null, hasErrorField: false, builder: `${last}()` };
    if (/response|respond|reply/i.test(last)) return { status: null, defaulted: false, body: null, hasErrorField: false, builder: `${last}()` };
  }
  return null;
}

function isHonoContext(name: string, context: ResponseContext): boolean {
  if (context.honoContexts) return context.honoContexts.has(name);
  return name === 'c' || name === 'ctx' || name === 'context';
}

function evaluateHelper(fn: FunctionNode, call: TSESTree.CallExpression, outer: Env, context: ResponseContext, depth: number): ResponseInfo | null {
  const env: Env = new Map();
  fn.params.forEach((param, index) => {
    const arg = call.arguments[index];
    const argNode = arg && arg.type !== AST_NODE_TYPES.SpreadElement ? resolveIdentifier(arg, outer) : undefined;
    if (param.type === AST_NODE_TYPES.Identifier) env.set(param.name, argNode);
    else if (param.type === AST_NODE_TYPES.AssignmentPattern && param.left.type === AST_NODE_TYPES.Identifier) {
      env.set(param.left.name, argNode ?? param.right);
    }
  });
  const returned = returnedExpressions(fn);
  const infos = returned.map((r) => evaluate(r, env, context, depth)).filter((i): i is ResponseInfo => !!i);
  if (infos.length === 0) return null;
  if (infos.length === 1) return infos[0];
  const statuses = new Set(infos.map((i) => i.status));
  return {
    status: statuses.size === 1 ? infos[0].status : null,
    defaulted: infos.every((i) => i.defaulted),
    body: null,
    hasErrorField: infos.every((i) => i.hasErrorField),
    builder: infos[0].builder,
  };
}

/** Expressions a function returns (its own `return`s, or the body of an expression arrow). */
export function returnedExpressions(fn: FunctionNode): TSESTree.Node[] {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const out: TSESTree.Node[] = [];
  walk(fn.body, (n) => {
    if (isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.ReturnStatement && n.argument) out.push(n.argument);
    return true;
  });
  return out;
}

function resolveIdentifier(node: TSESTree.Node, env: Env): TSESTree.Node | undefined {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier && env.has(n.name)) return env.get(n.name);
  return node;
}

function fromInit(
  body: TSESTree.Node | null,
  init: TSESTree.Node | undefined,
  env: Env,
  builder: string,
  bodyIsValue = false,
): ResponseInfo {
  const info: ResponseInfo = { status: 200, defaulted: true, body: null, hasErrorField: false, builder };
  const initNode = init ? resolveIdentifier(init, env) : undefined;
  if (initNode) {
    const status = statusFromInit(initNode, env);
    if (status !== 'absent') {
      info.status = status;
      info.defaulted = false;
    }
  }
  return withBody(info, body, env, bodyIsValue);
}

/** `{ status: 400 }`, `{ status }`, `{ ...init, status: s ?? 500 }`; 'absent' when no status is given; null when unknown. */
function statusFromInit(init: TSESTree.Node, env: Env): number | null | 'absent' {
  const n = unwrap(init);
  if (n.type !== AST_NODE_TYPES.ObjectExpression) return null;
  let result: number | null | 'absent' = 'absent';
  for (const prop of n.properties) {
    if (prop.type === AST_NODE_TYPES.SpreadElement) {
      const inner = resolveIdentifier(prop.argument, env);
      const spread = inner ? statusFromInit(inner, env) : null;
      if (spread !== 'absent') result = spread;
      continue;
    }
    const key = prop.key.type === AST_NODE_TYPES.Identifier && !prop.computed ? prop.key.name : stringValue(prop.key);
    if (key === 'status') result = numberOf(prop.value as TSESTree.Node, env);
  }
  return result;
}

function numberOf(node: TSESTree.Node | undefined, env: Env, depth = 0): number | null {
  if (!node || depth > 4) return null;
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Literal && typeof n.value === 'number') return n.value;
  if (n.type === AST_NODE_TYPES.Identifier) {
    if (!env.has(n.name)) return null;
    const bound = env.get(n.name);
    if (!bound || bound === node) return null;
    return numberOf(bound, env, depth + 1);
  }
  if (n.type === AST_NODE_TYPES.LogicalExpression && (n.operator === '??' || n.operator === '||')) {
    const left = unwrap(n.left);
    if (left.type === AST_NODE_TYPES.Identifier && env.has(left.name) && env.get(left.name) === undefined) {
      return numberOf(n.right, env, depth + 1);
    }
    return numberOf(n.left, env, depth + 1);
  }
  return null;
}

function withBody(info: ResponseInfo, body: TSESTree.Node | null, env: Env, bodyIsValue: boolean): ResponseInfo {
  if (!body) return info;
  let b: TSESTree.Node | undefined = resolveIdentifier(body, env);
  if (!b) return info;
  b = unwrap(b);
  if (!bodyIsValue && b.type === AST_NODE_TYPES.CallExpression) {
    const path = calleePath(b);
    if (path && path.join('.') === 'JSON.stringify' && b.arguments[0]) {
      b = resolveIdentifier(b.arguments[0], env);
      if (b) b = unwrap(b);
    }
  }
  if (!b) return info;
  return { ...info, body: b, hasErrorField: hasErrorField(b) };
}

/** `{ error: … }` with a value other than null/undefined. */
export function hasErrorField(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.ObjectExpression) return false;
  for (const prop of n.properties) {
    if (prop.type !== AST_NODE_TYPES.Property) continue;
    const key = prop.key.type === AST_NODE_TYPES.Identifier && !prop.computed ? prop.key.name : stringValue(prop.key);
    if (!key || !ERROR_KEYS.has(key)) continue;
    const value = unwrap(prop.value as TSESTree.Node);
    if (isEmptyValue(value)) continue;
    // `error: failed ? job.error : undefined`, `error: err?.message ?? null`: a field that is usually empty
    // describes something else (a polled job, a partial result), not this request's failure.
    if (value.type === AST_NODE_TYPES.ConditionalExpression && (isEmptyValue(unwrap(value.consequent)) || isEmptyValue(unwrap(value.alternate)))) continue;
    if (value.type === AST_NODE_TYPES.LogicalExpression && isEmptyValue(unwrap(value.right))) continue;
    if (value.type === AST_NODE_TYPES.ArrayExpression && value.elements.length === 0) continue;
    return true;
  }
  return false;
}

function isEmptyValue(n: TSESTree.Node): boolean {
  if (n.type === AST_NODE_TYPES.Literal && (n.value === null || n.value === false || n.value === '')) return true;
  return n.type === AST_NODE_TYPES.Identifier && n.name === 'undefined';
}

/** Property name of a member call (`x.json()` → `json`), for callers that classify calls. */
export function memberCallName(call: TSESTree.CallExpression): string | null {
  return call.callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(call.callee) : null;
}
