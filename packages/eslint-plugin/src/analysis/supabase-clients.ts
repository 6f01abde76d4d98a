import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleePath, isFunction, memberPath, propertyName, SKIP_KEYS, stringValue, unwrap, walk, walkTypes, type FunctionNode } from './ast.js';

/**
 * Which key a Supabase client was built with. `service-role` bypasses RLS (DESIGN.md:
 * Service-role client); `user` carries the caller's JWT; `anon` is the public key.
 */
export type ClientKind = 'service-role' | 'user' | 'anon' | 'unknown';

const SERVICE_ENV = /SERVICE_ROLE|SECRET_KEY|SERVICE_KEY/i;
const ANON_ENV = /ANON_KEY|PUBLISHABLE_KEY/i;
/** Helper names that, by convention, hand out an RLS-bypassing client. */
const ADMIN_HELPER = /(admin|service[_-]?role|serviceclient|supabaseservice|privileged)/i;

export type WriteOperation = 'insert' | 'upsert' | 'update' | 'delete';
export type QueryOperation = WriteOperation | 'select' | 'rpc';
const OPERATIONS = new Set<QueryOperation>(['insert', 'upsert', 'update', 'delete', 'select']);

export interface QueryFilter {
  method: string;
  call: TSESTree.CallExpression;
}

/** One `client.from('table')…` chain, read left to right. */
export interface QueryChain {
  table: string | null;
  /** The `.from(...)` call. */
  from: TSESTree.CallExpression;
  /** The outermost call of the chain (where the statement's value comes from). */
  top: TSESTree.CallExpression;
  operation: QueryOperation | null;
  /** The `.insert(...)`/`.update(...)`… call. */
  operationCall: TSESTree.CallExpression | null;
  filters: QueryFilter[];
  client: ClientKind;
  /** The function the chain is written in (null at module level). */
  enclosingFunction: FunctionNode | null;
}

export interface SupabaseClients {
  /** Kind of the client an expression evaluates to, when it is one. */
  kindOf(node: TSESTree.Node): ClientKind | null;
  /** Every `.from()` chain (and `.rpc()` call) in the module. */
  queries: QueryChain[];
  /** Variable names bound to clients, with their kind. */
  variables: Map<string, ClientKind>;
}

const tracked = new WeakMap<TSESTree.Program, SupabaseClients>();

/**
 * Tracks Supabase clients in one module: `createClient(url, key)` calls, variables bound
 * to them, and helper functions (local or by conventional name) that return them.
 * Computed once per parsed file (five rules and analyses ask for it): treat it as read-only.
 */
export function trackSupabaseClients(program: TSESTree.Program): SupabaseClients {
  let clients = tracked.get(program);
  if (!clients) {
    clients = computeSupabaseClients(program);
    tracked.set(program, clients);
  }
  return clients;
}

const PASS1_TYPES = [AST_NODE_TYPES.VariableDeclarator, AST_NODE_TYPES.FunctionDeclaration];
const PASS2_TYPES = [AST_NODE_TYPES.VariableDeclarator, AST_NODE_TYPES.AssignmentExpression];

function computeSupabaseClients(program: TSESTree.Program): SupabaseClients {
  const variables = new Map<string, ClientKind>();
  const helperKinds = new Map<string, ClientKind>();
  const envVars = new Map<string, ClientKind>();

  // Pass 1: variables holding keys, helpers returning clients.
  walkTypes(program, PASS1_TYPES, (node) => {
    if (node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.Identifier && node.init) {
      const keyKind = keyKindOf(node.init, envVars);
      if (keyKind) envVars.set(node.id.name, keyKind);
      const init = unwrap(node.init);
      if (isFunction(init)) {
        const k = functionReturnKind(init, envVars);
        if (k) helperKinds.set(node.id.name, k);
      }
    }
    if (node.type === AST_NODE_TYPES.FunctionDeclaration && node.id) {
      const k = functionReturnKind(node, envVars);
      if (k) helperKinds.set(node.id.name, k);
    }
  });

  const kindOf = (node: TSESTree.Node): ClientKind | null => {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.CallExpression) {
      const created = createClientKind(n, envVars);
      if (created) return created;
      const path = calleePath(n);
      const name = path?.[path.length - 1];
      if (name && helperKinds.has(name)) return helperKinds.get(name)!;
      if (name && ADMIN_HELPER.test(name) && /client|supabase|db|admin/i.test(name)) return 'service-role';
      return null;
    }
    if (n.type === AST_NODE_TYPES.Identifier) {
      if (variables.has(n.name)) return variables.get(n.name)!;
      // Imported or injected clients: trust the conventional name (`supabaseAdmin`, `adminClient`).
      if (ADMIN_HELPER.test(n.name) && /client|supabase|db|admin/i.test(n.name)) return 'service-role';
      if (/^(supabase|sb|client|supabaseClient|db)$/i.test(n.name)) return 'unknown';
      return null;
    }
    if (n.type === AST_NODE_TYPES.MemberExpression) {
      const path = memberPath(n);
      const last = path?.[path.length - 1];
      if (last && ADMIN_HELPER.test(last)) return 'service-role';
    }
    return null;
  };

  // Pass 2: variables bound to clients (in source order, so reassignments follow).
  walkTypes(program, PASS2_TYPES, (node) => {
    if (node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.Identifier && node.init) {
      const k = kindOf(node.init);
      if (k && unwrap(node.init).type === AST_NODE_TYPES.CallExpression) variables.set(node.id.name, k);
    }
    if (node.type === AST_NODE_TYPES.AssignmentExpression && node.left.type === AST_NODE_TYPES.Identifier) {
      const k = kindOf(node.right);
      if (k && unwrap(node.right).type === AST_NODE_TYPES.CallExpression) variables.set(node.left.name, k);
    }
  });

  const queries = collectQueries(program, kindOf);
  return { kindOf, queries, variables };
}

/** Kind of key an expression evaluates to: `Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')`, `process.env.X`, a literal. */
export function keyKindOf(node: TSESTree.Node, known: Map<string, ClientKind> = new Map()): ClientKind | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.LogicalExpression) return keyKindOf(n.left, known) ?? keyKindOf(n.right, known);
  if (n.type === AST_NODE_TYPES.Identifier) {
    if (known.has(n.name)) return known.get(n.name)!;
    return null;
  }
  const env = envVarName(n);
  if (env) return SERVICE_ENV.test(env) ? 'service-role' : ANON_ENV.test(env) ? 'anon' : null;
  const literal = stringValue(n);
  if (literal?.startsWith('sb_secret_')) return 'service-role';
  if (literal?.startsWith('sb_publishable_')) return 'anon';
  return null;
}

/** Name of an environment variable read by `Deno.env.get('X')`, `process.env.X`, `import.meta.env.X`. */
export function envVarName(node: TSESTree.Node): string | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const path = calleePath(n);
    if (path && path.join('.') === 'Deno.env.get') return stringValue(n.arguments[0]);
    return null;
  }
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const path = memberPath(n);
    if (!path) return null;
    const joined = path.slice(0, -1).join('.');
    if (joined === 'process.env' || joined === 'import.meta.env' || joined === 'Deno.env') return path[path.length - 1];
  }
  return null;
}

function createClientKind(call: TSESTree.CallExpression, envVars: Map<string, ClientKind>): ClientKind | null {
  const path = calleePath(call);
  if (!path || path[path.length - 1] !== 'createClient') return null;
  const key = call.arguments[1];
  const options = call.arguments[2];
  const fromKey = key ? keyKindOf(key, envVars) : null;
  if (fromKey === 'service-role') return 'service-role';
  if (options && forwardsAuthorization(options)) return 'user';
  return fromKey ?? 'unknown';
}

/** `{ global: { headers: { Authorization: req.headers.get('Authorization') } } }`: the caller's JWT. */
function forwardsAuthorization(node: TSESTree.Node): boolean {
  let found = false;
  walk(node, (n) => {
    if (n.type === AST_NODE_TYPES.Property) {
      const key = n.key.type === AST_NODE_TYPES.Identifier ? n.key.name : stringValue(n.key);
      if (key && key.toLowerCase() === 'authorization') found = true;
    }
  });
  return found;
}

function functionReturnKind(fn: FunctionNode, envVars: Map<string, ClientKind>): ClientKind | null {
  let kind: ClientKind | null = null;
  walk(fn.body, (n) => {
    if (n !== fn.body && isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.CallExpression) {
      const k = createClientKind(n, envVars);
      if (k && (kind === null || k === 'service-role')) kind = k;
    }
    return true;
  });
  return kind;
}

const CALL = [AST_NODE_TYPES.CallExpression];

function collectQueries(program: TSESTree.Program, kindOf: (n: TSESTree.Node) => ClientKind | null): QueryChain[] {
  const queries: QueryChain[] = [];
  if (!hasIndexableParents(program)) {
    const functionStack: FunctionNode[] = [];
    visitWithFunctions(program, functionStack, (node) => {
      if (node.type === AST_NODE_TYPES.CallExpression) addQuery(node, functionStack[functionStack.length - 1] ?? null, kindOf, queries);
    });
    return queries;
  }
  // Only calls matter: jump from call to call, then put the chains in the order the direct
  // traversal below finds them (object keys order, which is not source order: a call's
  // `arguments` come before its `callee`).
  walkTypes(program, CALL, (node) => {
    addQuery(node as TSESTree.CallExpression, enclosingFunction(node), kindOf, queries);
  });
  if (queries.length > 1) queries.sort((a, b) => traversalOrder(a.from, b.from));
  return queries;
}

/** Parent pointers set (as ESLint and `parseModule` give): the index walk and parent climbs work. */
function hasIndexableParents(program: TSESTree.Program): boolean {
  const first = program.body[0];
  return !first || first.parent === program;
}

function enclosingFunction(node: TSESTree.Node): FunctionNode | null {
  for (let current = node.parent; current; current = current.parent) if (isFunction(current)) return current;
  return null;
}

/** Root-to-node path by parent pointers. */
function ancestry(node: TSESTree.Node): TSESTree.Node[] {
  const out: TSESTree.Node[] = [];
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) out.push(current);
  return out.reverse();
}

/** Rank of `child` among the children `visitWithFunctions` visits under `parent`, in its order. */
function childRank(parent: TSESTree.Node, child: TSESTree.Node): number {
  let rank = 0;
  for (const key of Object.keys(parent)) {
    if (SKIP_KEYS.has(key)) continue;
    const value = (parent as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item === child) return rank;
        rank++;
      }
    } else {
      if (value === child) return rank;
      rank++;
    }
  }
  return rank;
}

/** Order of two nodes in `visitWithFunctions`' pre-order. */
function traversalOrder(a: TSESTree.Node, b: TSESTree.Node): number {
  if (a === b) return 0;
  const pa = ancestry(a);
  const pb = ancestry(b);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  if (i === pa.length) return -1;
  if (i === pb.length) return 1;
  if (i === 0) return 0;
  return childRank(pa[i - 1], pa[i]) - childRank(pa[i - 1], pb[i]);
}

function addQuery(
  node: TSESTree.CallExpression,
  enclosing: FunctionNode | null,
  kindOf: (n: TSESTree.Node) => ClientKind | null,
  queries: QueryChain[],
): void {
  if (node.callee.type !== AST_NODE_TYPES.MemberExpression) return;
  const method = propertyName(node.callee);
  if (method !== 'from' && method !== 'rpc') return;
  const receiver = node.callee.object;
  const client = kindOf(receiver);
  // `.from()` on something that is not a client (Array.from, Buffer.from) is not a query.
  if (client === null && !looksLikeClientChain(receiver)) return;
  const chain: QueryChain = {
    table: stringValue(node.arguments[0]),
    from: node,
    top: node,
    operation: method === 'rpc' ? 'rpc' : null,
    operationCall: method === 'rpc' ? node : null,
    filters: [],
    client: client ?? 'unknown',
    enclosingFunction: enclosing,
  };
  // Climb `.from(t).update(x).eq(...)`: each step is parent MemberExpression → parent CallExpression.
  let current: TSESTree.Node = node;
  for (;;) {
    const member: TSESTree.Node | undefined = current.parent;
    if (!member || member.type !== AST_NODE_TYPES.MemberExpression || member.object !== current) break;
    const call: TSESTree.Node | undefined = member.parent;
    if (!call || call.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) break;
    const name = propertyName(member) ?? '';
    if (chain.operation === null && OPERATIONS.has(name as QueryOperation)) {
      chain.operation = name as QueryOperation;
      chain.operationCall = call;
    } else {
      chain.filters.push({ method: name, call });
    }
    chain.top = call;
    current = call;
  }
  if (method === 'from' && chain.operation === null) chain.operation = 'select';
  queries.push(chain);
}

function looksLikeClientChain(receiver: TSESTree.Node): boolean {
  const n = unwrap(receiver);
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    // `supabase.schema('x').from(...)`, `this.supabase.from(...)`, `ctx.supabase.from(...)`
    const path = memberPath(n);
    return !!path && /supabase|client|db|admin/i.test(path[path.length - 1]);
  }
  if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.MemberExpression) {
    return propertyName(n.callee) === 'schema';
  }
  return false;
}

function visitWithFunctions(
  root: TSESTree.Node,
  stack: FunctionNode[],
  visit: (node: TSESTree.Node) => void,
): void {
  visit(root);
  const isFn = isFunction(root);
  if (isFn) stack.push(root);
  for (const key of Object.keys(root)) {
    // Program `tokens`/`comments` and type annotations hold no queries: skipping them halves the walk.
    if (SKIP_KEYS.has(key)) continue;
    const value = (root as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object' && 'type' in item) visitWithFunctions(item as TSESTree.Node, stack, visit);
    } else if (value && typeof value === 'object' && 'type' in (value as object)) {
      visitWithFunctions(value as TSESTree.Node, stack, visit);
    }
  }
  if (isFn) stack.pop();
}
