import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleePath, isFunction, memberPath, propertyName, stringValue, unwrap, walk, type FunctionNode } from './ast.js';
import type { Handler } from './handlers.js';
import type { QueryChain } from './supabase-clients.js';

/*
 * Where a tenant id comes from, and whether a write is scoped to one tenant.
 *
 * Vocabulary:
 * - a value's *trace* follows it back through variables, destructuring, member access and a
 *   few value-preserving calls (`String(x)`, `x.trim()`) to its root: the request body, a query
 *   result, the verified user, a constant…;
 * - its *origin* classifies that root: untrusted (request body / query / header / path, webhook
 *   payload, the user's editable `user_metadata`) or trusted (database, verified user, constant,
 *   environment), or unknown (a parameter of a helper, an import, a call we cannot see into).
 */

export type UntrustedOrigin =
  | 'request-body'
  | 'request-query'
  | 'request-header'
  | 'request-path'
  | 'webhook-payload'
  | 'user-metadata';
export type TrustedOrigin = 'database' | 'verified-user' | 'constant' | 'environment';
export type OriginKind = UntrustedOrigin | TrustedOrigin | 'unknown';

export interface Origin {
  kind: OriginKind;
  /** Readable path of the value from the nearest variable: `body.clinic_id`, `session.metadata.clinic_id`. */
  label: string;
  /** Identity of the value at its root (root node + full key path), equal for the same value under different names. */
  canonical: string | null;
}

const UNTRUSTED = new Set<OriginKind>(['request-body', 'request-query', 'request-header', 'request-path', 'webhook-payload', 'user-metadata']);
export function isUntrusted(kind: OriginKind): kind is UntrustedOrigin {
  return UNTRUSTED.has(kind);
}

/** Words for messages: "comes from {{where}}". */
export const ORIGIN_WORDS: Record<UntrustedOrigin, string> = {
  'request-body': 'the request body',
  'request-query': 'the query string',
  'request-header': 'a request header',
  'request-path': 'the request path',
  'webhook-payload': 'the webhook payload',
  'user-metadata': "the user's editable user_metadata",
};

type RootKind =
  | 'request' // the Request object itself
  | 'hono-context'
  | 'url' // new URL(req.url)
  | 'request-body'
  | 'request-raw-body'
  | 'request-query'
  | 'request-header'
  | 'request-path'
  | 'webhook-event'
  | 'query-result'
  | 'auth-result'
  | 'constant'
  | 'environment'
  | 'unknown';

interface Trace {
  root: RootKind;
  /** Node where the root value is produced (for canonical identity). */
  rootNode: TSESTree.Node | null;
  /** Keys from the root. */
  keys: string[];
  /** Label base: the nearest variable name (or the root's text) and the keys after it. */
  labelBase: string;
  labelKeys: string[];
  /** The root names the exact read (`url.searchParams.get('clinic_id')`): keep it over variable names. */
  fixedLabel?: boolean;
}

const UNKNOWN: Trace = { root: 'unknown', rootNode: null, keys: [], labelBase: '', labelKeys: [] };

// ─── Binding resolution (no scope manager needed) ──────────────────────────────────────────

export type Binding =
  | { kind: 'var'; name: string; declarator: TSESTree.VariableDeclarator; init: TSESTree.Expression | null; keys: string[]; container: TSESTree.Node; constant: boolean }
  | { kind: 'param'; name: string; fn: FunctionNode; index: number; keys: string[] }
  | { kind: 'for-of'; name: string; iterable: TSESTree.Expression; keys: string[] }
  | { kind: 'function'; name: string; fn: FunctionNode }
  | { kind: 'import'; name: string; source: string }
  | { kind: 'catch'; name: string };

/** Keys leading from a destructuring pattern's value to `name` (`{ data: { user } }` → ['data', 'user']), or null. */
export function patternKeys(pattern: TSESTree.Node, name: string): string[] | null {
  switch (pattern.type) {
    case AST_NODE_TYPES.Identifier:
      return pattern.name === name ? [] : null;
    case AST_NODE_TYPES.AssignmentPattern:
      return patternKeys(pattern.left, name);
    case AST_NODE_TYPES.RestElement:
      return patternKeys(pattern.argument, name);
    case AST_NODE_TYPES.TSParameterProperty:
      return patternKeys(pattern.parameter, name);
    case AST_NODE_TYPES.ArrayPattern:
      for (const element of pattern.elements) {
        if (!element) continue;
        const sub = patternKeys(element, name);
        if (sub) return element.type === AST_NODE_TYPES.RestElement ? sub : ['[]', ...sub];
      }
      return null;
    case AST_NODE_TYPES.ObjectPattern:
      for (const prop of pattern.properties) {
        if (prop.type === AST_NODE_TYPES.RestElement) {
          const sub = patternKeys(prop.argument, name);
          if (sub) return sub;
          continue;
        }
        const sub = patternKeys(prop.value, name);
        if (sub) {
          const key = prop.computed ? (stringValue(prop.key) ?? '[]') : keyName(prop.key);
          return [key ?? '[]', ...sub];
        }
      }
      return null;
    default:
      return null;
  }
}

function keyName(key: TSESTree.Node): string | null {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  return stringValue(key);
}

/** Static key of an object property (`clinic_id`, `'clinic_id'`, `[COL]` when COL is a string constant). */
export function propertyKey(prop: TSESTree.Property): string | null {
  if (!prop.computed) return keyName(prop.key);
  const literal = stringValue(prop.key);
  if (literal !== null) return literal;
  return prop.key.type === AST_NODE_TYPES.Identifier ? constantString(prop.key) : null;
}

function statementsOf(node: TSESTree.Node): TSESTree.Node[] | null {
  switch (node.type) {
    case AST_NODE_TYPES.Program:
    case AST_NODE_TYPES.BlockStatement:
    case AST_NODE_TYPES.StaticBlock:
      return node.body;
    case AST_NODE_TYPES.SwitchCase:
      return node.consequent;
    default:
      return null;
  }
}

/** The declaration `id` refers to, found by walking out through the enclosing scopes. */
export function resolveBinding(id: TSESTree.Identifier): Binding | null {
  const name = id.name;
  let node: TSESTree.Node | undefined = id.parent;
  while (node) {
    if (isFunction(node)) {
      for (let i = 0; i < node.params.length; i++) {
        const keys = patternKeys(node.params[i], name);
        if (keys) return { kind: 'param', name, fn: node, index: i, keys };
      }
      if (node.type === AST_NODE_TYPES.FunctionExpression && node.id?.name === name) return { kind: 'function', name, fn: node };
    }
    if (node.type === AST_NODE_TYPES.CatchClause && node.param && patternKeys(node.param, name)) return { kind: 'catch', name };
    if (
      (node.type === AST_NODE_TYPES.ForOfStatement || node.type === AST_NODE_TYPES.ForInStatement) &&
      node.left.type === AST_NODE_TYPES.VariableDeclaration
    ) {
      for (const d of node.left.declarations) {
        const keys = patternKeys(d.id, name);
        if (keys) {
          if (node.type === AST_NODE_TYPES.ForInStatement) return { kind: 'for-of', name, iterable: node.right, keys: ['[key]'] };
          return { kind: 'for-of', name, iterable: node.right, keys: ['[]', ...keys] };
        }
      }
    }
    if (node.type === AST_NODE_TYPES.ForStatement && node.init?.type === AST_NODE_TYPES.VariableDeclaration) {
      const found = fromDeclaration(node.init, name, node);
      if (found) return found;
    }
    const statements = statementsOf(node);
    if (statements) {
      for (const raw of statements) {
        const stmt =
          raw.type === AST_NODE_TYPES.ExportNamedDeclaration && raw.declaration ? raw.declaration : raw;
        if (stmt.type === AST_NODE_TYPES.VariableDeclaration) {
          const found = fromDeclaration(stmt, name, node);
          if (found) return found;
        } else if (stmt.type === AST_NODE_TYPES.FunctionDeclaration && stmt.id?.name === name) {
          return { kind: 'function', name, fn: stmt };
        } else if (stmt.type === AST_NODE_TYPES.ImportDeclaration) {
          for (const spec of stmt.specifiers) {
            if (spec.local.name === name) return { kind: 'import', name, source: String(stmt.source.value) };
          }
        }
      }
    }
    node = node.parent;
  }
  return null;
}

function fromDeclaration(decl: TSESTree.VariableDeclaration, name: string, container: TSESTree.Node): Binding | null {
  for (const d of decl.declarations) {
    const keys = patternKeys(d.id, name);
    if (keys) return { kind: 'var', name, declarator: d, init: d.init, keys, container, constant: decl.kind === 'const' };
  }
  return null;
}

/**
 * The value a variable holds at `use`: its initializer, or the last plain assignment
 * (`body = await req.json()`) written before `use` in the declaring scope.
 */
function valueAt(binding: Extract<Binding, { kind: 'var' }>, use: TSESTree.Node): { expr: TSESTree.Expression | null; keys: string[] } {
  if (binding.constant) return { expr: binding.init, keys: binding.keys };
  let last: TSESTree.AssignmentExpression | null = null;
  walk(binding.container, (n) => {
    if (
      n.type === AST_NODE_TYPES.AssignmentExpression &&
      n.operator === '=' &&
      n.left.type === AST_NODE_TYPES.Identifier &&
      n.left.name === binding.name &&
      n.range[1] <= use.range[0]
    ) {
      if (!last || n.range[0] > last.range[0]) last = n;
    }
  });
  if (last) return { expr: (last as TSESTree.AssignmentExpression).right, keys: [] };
  return { expr: binding.init, keys: binding.keys };
}

/** Value of a `const NAME = 'literal'`, or null. */
export function constantString(id: TSESTree.Identifier): string | null {
  const b = resolveBinding(id);
  if (b?.kind === 'var' && b.constant && b.keys.length === 0 && b.init) return stringValue(unwrap(b.init));
  return null;
}

// ─── Tracing ───────────────────────────────────────────────────────────────────────────────

export interface TraceContext {
  /** Handler functions: their first parameter is the Request (or the Hono context). */
  handlers: Handler[];
  /** Calls that belong to a Supabase query chain (their value is a query result). */
  queryCalls: Set<TSESTree.Node>;
}

export function traceContext(handlers: Handler[], queries: QueryChain[]): TraceContext {
  const queryCalls = new Set<TSESTree.Node>();
  for (const q of queries) {
    let current: TSESTree.Node = q.from;
    queryCalls.add(current);
    while (current !== q.top) {
      const member: TSESTree.Node | undefined = current.parent;
      if (!member || member.type !== AST_NODE_TYPES.MemberExpression) break;
      const call: TSESTree.Node | undefined = member.parent;
      if (!call || call.type !== AST_NODE_TYPES.CallExpression) break;
      queryCalls.add(call);
      current = call;
    }
  }
  return { handlers, queryCalls };
}

const VALUE_PRESERVING_FUNCTIONS = new Set(['String', 'Number', 'parseInt', 'parseFloat', 'BigInt', 'decodeURIComponent', 'structuredClone']);
const VALUE_PRESERVING_METHODS = new Set(['trim', 'toString', 'toLowerCase', 'toUpperCase', 'valueOf', 'normalize', 'trimStart', 'trimEnd']);
const ELEMENT_METHODS = new Set(['at', 'find', 'findLast', 'pop', 'shift']);
const BODY_READERS = new Set(['json', 'formData', 'parseBody']);
const RAW_BODY_READERS = new Set(['text', 'arrayBuffer', 'blob']);
const WEBHOOK_VERIFIERS = /^(constructEvent|constructEventAsync|verify|verifyWebhook|unwrap)$/;
const REQUEST_NAMES = /^(req|request|_req|_request)$/;

function rootTrace(root: RootKind, rootNode: TSESTree.Node, labelBase: string): Trace {
  const fixedLabel = root === 'request-query' || root === 'request-header' || root === 'request-path';
  return { root, rootNode, keys: [], labelBase, labelKeys: [], fixedLabel };
}

function extend(t: Trace, keys: string[]): Trace {
  if (keys.length === 0) return t;
  if (t.root === 'unknown' || t.root === 'constant' || t.root === 'environment') return t;
  // Members of the Request, the URL or the Hono context are handled by the calls that read them.
  return { ...t, keys: [...t.keys, ...keys], labelKeys: [...t.labelKeys, ...keys] };
}

function relabel(t: Trace, name: string): Trace {
  if (t.root === 'unknown' || t.root === 'constant' || t.root === 'environment') return t;
  if (t.fixedLabel && t.labelKeys.length === 0) return t;
  return { ...t, labelBase: name, labelKeys: [] };
}

const RANK: Record<RootKind, number> = {
  'request-body': 9, 'request-raw-body': 9, 'request-query': 8, 'request-header': 8, 'request-path': 8, 'webhook-event': 7,
  'auth-result': 3, 'query-result': 3, constant: 2, environment: 2, request: 1, 'hono-context': 1, url: 1, unknown: 0,
};

/** Of several possible values (`a ?? b`, `x ? a : b`), the most worrying one. */
function worst(traces: Trace[]): Trace {
  let best = UNKNOWN;
  for (const t of traces) if (RANK[t.root] > RANK[best.root]) best = t;
  return best;
}

function requestParamRoot(fn: FunctionNode, index: number, param: TSESTree.Node, ctx: TraceContext): RootKind | null {
  const handler = ctx.handlers.find((h) => h.fn === fn);
  if (handler && index === 0) return handler.requestVia === 'hono-context' ? 'hono-context' : 'request';
  const p = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
  if (p.type === AST_NODE_TYPES.Identifier) {
    const typeName = p.typeAnnotation?.typeAnnotation.type === AST_NODE_TYPES.TSTypeReference ? p.typeAnnotation.typeAnnotation.typeName : null;
    const annotated = typeName?.type === AST_NODE_TYPES.Identifier ? typeName.name : null;
    if (annotated === 'Request') return 'request';
    if (annotated === 'Context') return 'hono-context';
    if (!annotated && REQUEST_NAMES.test(p.name)) return 'request';
  }
  return null;
}

function trace(node: TSESTree.Node, ctx: TraceContext, depth = 0): Trace {
  if (depth > 40) return UNKNOWN;
  const n = unwrap(node);
  switch (n.type) {
    case AST_NODE_TYPES.Literal:
      return { ...UNKNOWN, root: 'constant' };
    case AST_NODE_TYPES.TemplateLiteral:
      if (n.expressions.length === 0) return { ...UNKNOWN, root: 'constant' };
      return worst(n.expressions.map((e) => trace(e, ctx, depth + 1)));
    case AST_NODE_TYPES.LogicalExpression:
      return worst([trace(n.left, ctx, depth + 1), trace(n.right, ctx, depth + 1)]);
    case AST_NODE_TYPES.ConditionalExpression:
      return worst([trace(n.consequent, ctx, depth + 1), trace(n.alternate, ctx, depth + 1)]);
    case AST_NODE_TYPES.Identifier:
      return traceIdentifier(n, ctx, depth);
    case AST_NODE_TYPES.MemberExpression: {
      const key = propertyName(n) ?? '[]';
      return extend(trace(n.object, ctx, depth + 1), [/^\d+$/.test(key) ? '[]' : key]);
    }
    case AST_NODE_TYPES.NewExpression: {
      if (n.callee.type === AST_NODE_TYPES.Identifier && n.callee.name === 'URL' && n.arguments[0]) {
        const arg = trace(n.arguments[0], ctx, depth + 1);
        if (arg.root === 'request' && arg.keys.join('.') === 'url') return rootTrace('url', n, 'url');
        if (arg.root === 'hono-context' && arg.keys.join('.') === 'req.url') return rootTrace('url', n, 'url');
      }
      return UNKNOWN;
    }
    case AST_NODE_TYPES.CallExpression:
      return traceCall(n, ctx, depth);
    default:
      return UNKNOWN;
  }
}

function traceIdentifier(id: TSESTree.Identifier, ctx: TraceContext, depth: number): Trace {
  if (id.name === 'undefined') return { ...UNKNOWN, root: 'constant' };
  const b = resolveBinding(id);
  if (!b) return UNKNOWN;
  if (b.kind === 'var') {
    const { expr, keys } = valueAt(b, id);
    if (!expr) return UNKNOWN;
    const t = extend(trace(expr, ctx, depth + 1), keys);
    // `const body = await req.json()` → `body`; `const { clinic_id: id } = body` keeps `body.clinic_id`
    // (where an untrusted value was read is what a message should name).
    return keys.length === 0 || !isUntrusted(classify(t)) ? relabel(t, id.name) : t;
  }
  if (b.kind === 'for-of') {
    return relabel(extend(trace(b.iterable, ctx, depth + 1), b.keys), id.name);
  }
  if (b.kind === 'param') {
    const param = b.fn.params[b.index];
    const root = requestParamRoot(b.fn, b.index, param, ctx);
    if (root && b.keys.length === 0) return rootTrace(root, param, id.name);
    if (root) return relabel(extend(rootTrace(root, param, id.name), b.keys), id.name);
    // `items.map((item) => …)`, `rows.forEach((row) => …)`: the element of the array.
    const call = b.fn.parent;
    if (
      b.index === 0 &&
      call?.type === AST_NODE_TYPES.CallExpression &&
      call.arguments[0] === b.fn &&
      call.callee.type === AST_NODE_TYPES.MemberExpression &&
      /^(map|forEach|flatMap|filter|some|every|find)$/.test(propertyName(call.callee) ?? '')
    ) {
      return relabel(extend(trace(call.callee.object, ctx, depth + 1), ['[]', ...b.keys]), id.name);
    }
    return UNKNOWN;
  }
  return UNKNOWN;
}

function traceCall(call: TSESTree.CallExpression, ctx: TraceContext, depth: number): Trace {
  if (ctx.queryCalls.has(call)) {
    const text = queryLabel(call);
    return rootTrace('query-result', call, text);
  }
  const path = calleePath(call);
  const joined = path?.join('.') ?? '';
  if (joined === 'Deno.env.get' || joined.startsWith('process.env')) return { ...UNKNOWN, root: 'environment' };
  if (path && path.length === 1 && VALUE_PRESERVING_FUNCTIONS.has(path[0]) && call.arguments[0]) {
    return trace(call.arguments[0], ctx, depth + 1);
  }
  if (joined === 'JSON.parse' && call.arguments[0]) {
    const t = trace(call.arguments[0], ctx, depth + 1);
    if (t.root === 'request-raw-body') return { ...t, root: 'request-body' };
    return t;
  }
  if (call.callee.type !== AST_NODE_TYPES.MemberExpression) return UNKNOWN;
  const method = propertyName(call.callee) ?? '';
  const last = path?.[path.length - 1];
  // Verified user: `supabase.auth.getUser(jwt)`, `auth.getClaims()`.
  if (path && path.length >= 2 && path[path.length - 2] === 'auth' && /^(getUser|getClaims)$/.test(method)) {
    return rootTrace('auth-result', call, 'auth.' + method + '()');
  }
  // Webhook payloads (signature checked or not, their fields are chosen by whoever sent them).
  if (last && WEBHOOK_VERIFIERS.test(last) && call.arguments.length >= 2) {
    return rootTrace('webhook-event', call, 'event');
  }
  const object = trace(call.callee.object, ctx, depth + 1);
  const keys = object.keys.join('.');
  if (object.root === 'request' && keys === '') {
    if (BODY_READERS.has(method)) return rootTrace('request-body', call, `${sourceName(call.callee.object)}.${method}()`);
    if (RAW_BODY_READERS.has(method)) return rootTrace('request-raw-body', call, `${sourceName(call.callee.object)}.${method}()`);
  }
  if (object.root === 'request' && keys === 'headers' && method === 'get') return rootTrace('request-header', call, textOf(call));
  if (object.root === 'hono-context' && keys === 'req') {
    if (BODY_READERS.has(method)) return rootTrace('request-body', call, `c.req.${method}()`);
    if (RAW_BODY_READERS.has(method)) return rootTrace('request-raw-body', call, `c.req.${method}()`);
    if (method === 'valid') {
      const target = stringValue(call.arguments[0]);
      if (target === 'query') return rootTrace('request-query', call, textOf(call));
      if (target === 'param') return rootTrace('request-path', call, textOf(call));
      if (target === 'header') return rootTrace('request-header', call, textOf(call));
      return rootTrace('request-body', call, textOf(call));
    }
    if (method === 'param') return rootTrace('request-path', call, textOf(call));
    if (method === 'query' || method === 'queries') return rootTrace('request-query', call, textOf(call));
    if (method === 'header') return rootTrace('request-header', call, textOf(call));
  }
  if (object.root === 'hono-context' && keys === '' && method === 'get') return UNKNOWN; // c.get('clinicId'): set by middleware
  if (object.root === 'url') {
    if (keys === 'searchParams' && (method === 'get' || method === 'getAll')) return rootTrace('request-query', call, textOf(call));
    if (keys === 'pathname') return rootTrace('request-path', call, textOf(call));
  }
  if (VALUE_PRESERVING_METHODS.has(method)) return object;
  if (method === 'split') return extend(object, ['[]']);
  if (ELEMENT_METHODS.has(method)) return extend(object, ['[]']);
  if (method === 'get' && (object.root === 'request-body' || object.root === 'request-query')) {
    // formData.get('clinic_id'), searchParams.get(…)
    const field = stringValue(call.arguments[0]);
    const t = extend(object, [field ?? '[]']);
    return { ...t, labelKeys: [...object.labelKeys, field !== null ? `get('${field}')` : 'get(…)'] };
  }
  return UNKNOWN;
}

function queryLabel(call: TSESTree.CallExpression): string {
  let current: TSESTree.Node = call;
  while (current.type === AST_NODE_TYPES.CallExpression && current.callee.type === AST_NODE_TYPES.MemberExpression) {
    if (propertyName(current.callee) === 'from' || propertyName(current.callee) === 'rpc') {
      return `${propertyName(current.callee)}(${stringValue(current.arguments[0]) ?? '…'})`;
    }
    current = current.callee.object;
  }
  return 'query';
}

function sourceName(node: TSESTree.Node): string {
  const path = memberPath(node);
  return path ? path.join('.') : 'req';
}

function textOf(call: TSESTree.CallExpression): string {
  const path = calleePath(call) ?? calleeTail(call.callee);
  const arg = stringValue(call.arguments[0]);
  return `${path ? path.join('.') : 'call'}(${arg !== null ? `'${arg}'` : ''})`;
}

/** `new URL(req.url).searchParams.get` → ['…', 'searchParams', 'get']. */
function calleeTail(node: TSESTree.Node): string[] | null {
  const names: string[] = [];
  let current = unwrap(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    names.unshift(propertyName(current) ?? '[]');
    current = unwrap(current.object);
  }
  return names.length > 0 ? ['…', ...names] : null;
}

function classify(t: Trace): OriginKind {
  switch (t.root) {
    case 'request-body':
    case 'request-raw-body':
      return 'request-body';
    case 'request-query':
    case 'request-header':
    case 'request-path':
      return t.root;
    case 'webhook-event':
      return 'webhook-payload';
    case 'query-result':
      return 'database';
    case 'auth-result':
      return t.keys.includes('user_metadata') ? 'user-metadata' : 'verified-user';
    case 'constant':
      return 'constant';
    case 'environment':
      return 'environment';
    default:
      return 'unknown';
  }
}

/** Where the value of `node` comes from. */
export function originOf(node: TSESTree.Node, ctx: TraceContext): Origin {
  const t = trace(node, ctx);
  const kind = classify(t);
  const label = [t.labelBase, ...t.labelKeys.map((k) => (k === '[]' ? '[i]' : k))].join('.').replace(/\.\[i\]/g, '[i]');
  const canonical = t.rootNode ? `${t.rootNode.range[0]}:${t.keys.join('.')}` : null;
  return { kind, label: label || textOfNode(node), canonical };
}

function textOfNode(node: TSESTree.Node): string {
  const path = memberPath(node);
  return path ? path.join('.') : 'value';
}

// ─── Scope of a write ──────────────────────────────────────────────────────────────────────

/** The tenant column and the spellings accepted for it as an object key or a filter column. */
export interface TenantNames {
  column: string;
  /** `clinic_id` and `clinicId`. */
  keys: Set<string>;
  /** Table the column points at: `clinics`. */
  tenantTable: string;
  /** Variable name used in messages: `clinicId`. */
  variable: string;
}

export function tenantNames(tenantColumn: string): TenantNames {
  const snake = tenantColumn.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const camel = snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const base = snake.replace(/_id$/, '');
  const plural = /[^aeiou]y$/.test(base) ? base.slice(0, -1) + 'ies' : /(s|x|ch|sh)$/.test(base) ? base + 'es' : base + 's';
  return { column: snake, keys: new Set([snake, camel, tenantColumn]), tenantTable: plural, variable: camel };
}

/** Whether writes to `table` must be scoped (settings.tenantTables, or every table but the tenant table). */
export function isTenantScopedTable(table: string, names: TenantNames, tenantTables: string[]): boolean {
  const bare = table.replace(/^public\./, '');
  if (tenantTables.length > 0) return tenantTables.some((t) => t.replace(/^public\./, '') === bare);
  const base = names.tenantTable.replace(/s$/, '');
  return bare !== names.tenantTable && bare !== base && bare !== names.tenantTable.replace(/ies$/, 'y');
}

export type RowCheck =
  /** The row sets the tenant column; `value` is what it is set to. */
  | { status: 'scoped'; node: TSESTree.Node; value: TSESTree.Node }
  /** An object literal without the tenant column. */
  | { status: 'missing'; node: TSESTree.Node }
  /** The row is (a spread of) the request body or a webhook payload: the caller picks its tenant. */
  | { status: 'from-request'; node: TSESTree.Node; origin: Origin }
  /** Built where we cannot see (a parameter, a call's result). */
  | { status: 'unknown'; node: TSESTree.Node };

/** How each row of an `insert(…)`/`upsert(…)` argument (or an `update(…)` payload) sets the tenant column. */
export function checkRows(arg: TSESTree.Node, names: TenantNames, ctx: TraceContext, depth = 0): RowCheck[] {
  const n = unwrap(arg);
  if (depth > 12) return [{ status: 'unknown', node: n }];
  switch (n.type) {
    case AST_NODE_TYPES.ObjectExpression:
      return [checkObject(n, names, ctx, depth)];
    case AST_NODE_TYPES.ArrayExpression:
      return n.elements.flatMap((e) => {
        if (!e) return [];
        if (e.type === AST_NODE_TYPES.SpreadElement) return checkRows(e.argument, names, ctx, depth + 1);
        return checkRows(e, names, ctx, depth + 1);
      });
    case AST_NODE_TYPES.ConditionalExpression:
      return [...checkRows(n.consequent, names, ctx, depth + 1), ...checkRows(n.alternate, names, ctx, depth + 1)];
    case AST_NODE_TYPES.LogicalExpression:
      return checkRows(n.right, names, ctx, depth + 1).concat(n.operator === '&&' ? [] : checkRows(n.left, names, ctx, depth + 1));
    case AST_NODE_TYPES.Identifier:
      return checkIdentifierRows(n, names, ctx, depth);
    case AST_NODE_TYPES.CallExpression: {
      if (n.callee.type === AST_NODE_TYPES.MemberExpression) {
        const method = propertyName(n.callee);
        if ((method === 'map' || method === 'flatMap') && n.arguments[0]) {
          const cb = unwrap(n.arguments[0]);
          if (isFunction(cb)) {
            const returned = returnedExpressions(cb);
            if (returned.length > 0) return returned.flatMap((r) => checkRows(r, names, ctx, depth + 1));
          }
        }
        if (method === 'filter' || method === 'slice' || method === 'concat') {
          const own = checkRows(n.callee.object, names, ctx, depth + 1);
          const extra = method === 'concat' ? n.arguments.flatMap((a) => checkRows(a, names, ctx, depth + 1)) : [];
          return [...own, ...extra];
        }
      }
      return fromRequestOr(n, ctx, { status: 'unknown', node: n });
    }
    case AST_NODE_TYPES.MemberExpression:
      return fromRequestOr(n, ctx, { status: 'unknown', node: n });
    default:
      return [{ status: 'unknown', node: n }];
  }
}

function fromRequestOr(n: TSESTree.Node, ctx: TraceContext, otherwise: RowCheck): RowCheck[] {
  const origin = originOf(n, ctx);
  if (isUntrusted(origin.kind)) return [{ status: 'from-request', node: n, origin }];
  return [otherwise];
}

function checkIdentifierRows(id: TSESTree.Identifier, names: TenantNames, ctx: TraceContext, depth: number): RowCheck[] {
  const b = resolveBinding(id);
  if (b?.kind === 'var' && b.keys.length === 0) {
    const { expr } = valueAt(b, id);
    const base = expr ? checkRows(expr, names, ctx, depth + 1) : [];
    // Mutations before the write: `row.clinic_id = clinic.id`, `rows.push({ … })`.
    const assigned = assignedTenant(b, id, names);
    if (assigned) return [{ status: 'scoped', node: id, value: assigned }];
    const pushed = pushedRows(b, id);
    if (pushed.length > 0) {
      const fromPush = pushed.flatMap((p) => checkRows(p, names, ctx, depth + 1));
      const isEmptyArray = expr && unwrap(expr).type === AST_NODE_TYPES.ArrayExpression;
      return isEmptyArray ? [...base, ...fromPush] : fromPush;
    }
    if (base.length === 0 && expr && unwrap(expr).type === AST_NODE_TYPES.ArrayExpression) return [];
    // Report at the argument, not at the far-away literal, when the row is missing the key.
    if (base.length === 1 && base[0].status === 'missing') return [{ ...base[0], node: id }];
    if (base.length === 1 && base[0].status === 'from-request' && base[0].node === unwrap(expr!)) {
      return [{ status: 'from-request', node: id, origin: originOf(id, ctx) }];
    }
    return base;
  }
  return fromRequestOr(id, ctx, { status: 'unknown', node: id });
}

function assignedTenant(b: Extract<Binding, { kind: 'var' }>, use: TSESTree.Node, names: TenantNames): TSESTree.Node | null {
  let value: TSESTree.Node | null = null;
  walk(b.container, (n) => {
    if (
      n.type === AST_NODE_TYPES.AssignmentExpression &&
      n.operator === '=' &&
      n.left.type === AST_NODE_TYPES.MemberExpression &&
      n.left.object.type === AST_NODE_TYPES.Identifier &&
      n.left.object.name === b.name &&
      n.range[1] <= use.range[0]
    ) {
      const key = propertyName(n.left);
      if (key && names.keys.has(key)) value = n.right;
    }
  });
  return value;
}

function pushedRows(b: Extract<Binding, { kind: 'var' }>, use: TSESTree.Node): TSESTree.Node[] {
  const out: TSESTree.Node[] = [];
  walk(b.container, (n) => {
    if (
      n.type === AST_NODE_TYPES.CallExpression &&
      n.callee.type === AST_NODE_TYPES.MemberExpression &&
      n.callee.object.type === AST_NODE_TYPES.Identifier &&
      n.callee.object.name === b.name &&
      /^(push|unshift)$/.test(propertyName(n.callee) ?? '') &&
      n.range[1] <= use.range[0]
    ) {
      for (const a of n.arguments) out.push(a.type === AST_NODE_TYPES.SpreadElement ? a.argument : a);
    }
  });
  return out;
}

function checkObject(obj: TSESTree.ObjectExpression, names: TenantNames, ctx: TraceContext, depth: number): RowCheck {
  let state: RowCheck = { status: 'missing', node: obj };
  for (const prop of obj.properties) {
    if (prop.type === AST_NODE_TYPES.Property) {
      const key = propertyKey(prop);
      if (key && names.keys.has(key)) state = { status: 'scoped', node: obj, value: prop.value };
      continue;
    }
    // `...spread`: what it brings overrides earlier keys; what it lacks keeps them.
    const sub = checkRows(prop.argument, names, ctx, depth + 1);
    const first = sub[0];
    if (!first) continue;
    if (first.status === 'scoped') state = { status: 'scoped', node: obj, value: first.value };
    else if (first.status === 'from-request') state = { ...first, node: obj };
    else if (first.status === 'unknown' && state.status !== 'scoped') state = { status: 'unknown', node: obj };
    else if (first.status === 'unknown' && state.status === 'scoped') {
      // An unknown spread after the key may override it; keep trusting the explicit key.
    }
  }
  return state;
}

function returnedExpressions(fn: FunctionNode): TSESTree.Node[] {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const out: TSESTree.Node[] = [];
  walk(fn.body, (n) => {
    if (n !== fn.body && isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.ReturnStatement && n.argument) out.push(n.argument);
    return true;
  });
  return out;
}

export type FilterCheck =
  | { status: 'scoped'; filter: TSESTree.CallExpression; value: TSESTree.Node }
  | { status: 'missing' };

/** Filter calls applied to a chain, including those added later through a variable (`q = q.eq(…)`). */
export function chainFilters(query: QueryChain): TSESTree.CallExpression[] {
  const calls = query.filters.map((f) => f.call);
  // `let q = admin.from('x').delete(); if (id) q = q.eq('clinic_id', id); await q`.
  const holder = query.top.parent;
  let name: string | null = null;
  let scope: TSESTree.Node | null = null;
  if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init === query.top && holder.id.type === AST_NODE_TYPES.Identifier) {
    name = holder.id.name;
    scope = holder.parent?.parent ?? null;
  } else if (holder?.type === AST_NODE_TYPES.AssignmentExpression && holder.right === query.top && holder.left.type === AST_NODE_TYPES.Identifier) {
    name = holder.left.name;
    scope = enclosingScope(holder);
  }
  if (name && scope) {
    walk(scope, (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression || n.callee.type !== AST_NODE_TYPES.MemberExpression) return;
      let base: TSESTree.Node = n.callee.object;
      while (base.type === AST_NODE_TYPES.CallExpression && base.callee.type === AST_NODE_TYPES.MemberExpression) base = base.callee.object;
      if (base.type === AST_NODE_TYPES.Identifier && base.name === name && n.range[0] > query.top.range[0]) calls.push(n);
    });
  }
  return calls;
}

function enclosingScope(node: TSESTree.Node): TSESTree.Node | null {
  let current = node.parent;
  while (current && !isFunction(current) && current.type !== AST_NODE_TYPES.Program) current = current.parent;
  return current ?? null;
}

/** Whether a chain's filters pin the tenant column to one value. */
export function checkFilters(filters: TSESTree.CallExpression[], names: TenantNames, ctx: TraceContext): FilterCheck {
  let byRowId: FilterCheck | null = null;
  for (const call of filters) {
    if (call.callee.type !== AST_NODE_TYPES.MemberExpression) continue;
    const method = propertyName(call.callee);
    const [first, second, third] = call.arguments;
    const column = first ? columnName(first) : null;
    const onTenant = column !== null && names.keys.has(column);
    if (method === 'eq' && onTenant && second) return { status: 'scoped', filter: call, value: second };
    if (method === 'filter' && onTenant && stringValue(second) === 'eq' && third) return { status: 'scoped', filter: call, value: third };
    if (method === 'in' && onTenant && second) {
      // One tenant only: `.in('clinic_id', [clinicId])`. A list of several is not a tenant scope.
      const list = unwrap(second);
      if (list.type === AST_NODE_TYPES.ArrayExpression && list.elements.length === 1 && list.elements[0] && list.elements[0].type !== AST_NODE_TYPES.SpreadElement) {
        return { status: 'scoped', filter: call, value: list.elements[0] };
      }
    }
    if (method === 'match' && first) {
      const checked = checkRows(first, names, ctx);
      const scoped = checked.find((c) => c.status === 'scoped');
      if (scoped && scoped.status === 'scoped') return { status: 'scoped', filter: call, value: scoped.value };
    }
    // `.eq('id', row.id)` where `row` was read from the database: that one row, whose tenant is fixed.
    if (method === 'eq' && column === 'id' && second && !byRowId && originOf(second, ctx).kind === 'database') {
      byRowId = { status: 'scoped', filter: call, value: second };
    }
  }
  return byRowId ?? { status: 'missing' };
}

function columnName(node: TSESTree.Node): string | null {
  const n = unwrap(node);
  const literal = stringValue(n);
  if (literal !== null) return literal.replace(/^.*\./, '');
  return n.type === AST_NODE_TYPES.Identifier ? constantString(n) : null;
}

// ─── Was an untrusted tenant id checked before the write? ────────────────────────────────────

const CHECK_CALL = /(check|verify|assert|ensure|validate|authori[sz]e|require|guard|member|access|permission|belongs|owns)/i;

/**
 * An untrusted value counts as checked when, before `write` and in the same function (or one
 * enclosing it), it was used to look something up in the database (a filter or an `rpc`
 * argument), compared with a trusted value, or passed to a function whose name says it checks
 * (`assertClinicMember(user.id, clinicId)`).
 */
export function wasChecked(origin: Origin, write: TSESTree.Node, queries: QueryChain[], ctx: TraceContext): boolean {
  if (!origin.canonical) return false;
  const scope = outermostFunction(write);
  if (!scope) return false;
  const same = (node: TSESTree.Node | undefined | null): boolean => {
    if (!node) return false;
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.ObjectExpression) {
      return n.properties.some((p) => (p.type === AST_NODE_TYPES.Property ? same(p.value as TSESTree.Node) : same(p.argument)));
    }
    if (n.type === AST_NODE_TYPES.ArrayExpression) return n.elements.some((e) => !!e && same(e.type === AST_NODE_TYPES.SpreadElement ? e.argument : e));
    return originOf(n, ctx).canonical === origin.canonical;
  };
  const before = (node: TSESTree.Node) => node.range[1] <= write.range[0] && node.range[0] >= scope.range[0] && node.range[1] <= scope.range[1];

  for (const q of queries) {
    if (!before(q.top)) continue;
    if (q.operation === 'select') {
      if (q.filters.some((f) => f.call.arguments.some((a) => same(a)))) return true;
    }
    if (q.operation === 'rpc' && q.operationCall?.arguments.some((a) => same(a))) return true;
  }
  let found = false;
  walk(scope, (n) => {
    if (found) return false;
    if (!before(n)) return n.range[0] < write.range[0];
    if (n.type === AST_NODE_TYPES.BinaryExpression && /^[!=]==?$/.test(n.operator)) {
      const l = originOf(n.left, ctx);
      const r = originOf(n.right, ctx);
      if ((l.canonical === origin.canonical && isTrusted(r.kind)) || (r.canonical === origin.canonical && isTrusted(l.kind))) found = true;
    }
    if (n.type === AST_NODE_TYPES.CallExpression && !ctx.queryCalls.has(n)) {
      const path = calleePath(n);
      const name = path?.[path.length - 1];
      if (name && CHECK_CALL.test(name) && n.arguments.some((a) => same(a))) found = true;
    }
    return true;
  });
  return found;
}

function isTrusted(kind: OriginKind): boolean {
  return kind === 'database' || kind === 'verified-user';
}

function outermostFunction(node: TSESTree.Node): FunctionNode | null {
  let found: FunctionNode | null = null;
  let current = node.parent;
  while (current) {
    if (isFunction(current)) found = current;
    current = current.parent;
  }
  return found;
}
