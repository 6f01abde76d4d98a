import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleePath, isFunction, memberPath, propertyName, STOP_WALK, stringValue, unwrap, walk, walkTypes, type FunctionNode } from './ast.js';
import { describeResponse } from './responses.js';
import { envVarName, trackSupabaseClients, type ClientKind, type SupabaseClients } from './supabase-clients.js';
import type { Handler } from './handlers.js';

/*
 * Verification (DESIGN.md): the code that proves who sent a request before its body is
 * trusted, and that counts only when its failure stops the handler. This module finds,
 * inside one function and the helpers it calls (same file or a relative import):
 *   - body reads (`req.json()`, `c.req.text()`…) and service-role client uses,
 *   - verifications (Stripe, svix/standardwebhooks/Resend, HMAC, timing-safe compares,
 *     `auth.getUser()`/`getClaims()`, JWT libraries, verifying helpers),
 *   - where each verification stops the handler (early return / throw), structurally,
 *   - risky work (body parsing, database and network calls) and whether a try/catch covers it.
 */

// ───────────────────────────── module scope ─────────────────────────────

export interface ModuleScope {
  filename: string | null;
  program: TSESTree.Program;
  clients: SupabaseClients;
  /** Local name → where it was imported from. `imported` is `*` for namespaces, `default` for default imports. */
  imports: Map<string, { source: string; imported: string }>;
  /** Top-level functions by name. */
  topLevel: Map<string, FunctionNode>;
  /** Exported functions by exported name (`default` for the default export). */
  exported: Map<string, FunctionNode>;
  /** Exported non-function bindings by exported name → local name. */
  exportedNames: Map<string, string>;
  /** Variables bound to `new X(...)`: name → constructor name (`wh` → `Webhook`). */
  constructed: Map<string, string>;
  /** `.from()`/`.rpc()` calls that are Supabase queries. */
  queryCalls: Set<TSESTree.CallExpression>;
  /** The query chain of each `.from()`/`.rpc()` call. */
  queryByFrom: Map<TSESTree.CallExpression, SupabaseClients['queries'][number]>;
  /**
   * Relative imports already loaded while linting this file (by specifier), so each is
   * stat'ed once per lint of the file, not once per call that reaches it. Null on modules
   * loaded from disk, which outlive one lint and must see later edits.
   */
  loaded: Map<string, ModuleScope | null> | null;
}

const scopeCache = new WeakMap<TSESTree.Program, ModuleScope>();

// Node types the visitors below act on (see `walkTypes`).
const DECLARATOR = [AST_NODE_TYPES.VariableDeclarator];
const IDENTIFIER = [AST_NODE_TYPES.Identifier];
/** collectFacts: declarators (roles, nested helpers), compares, calls, and nested function declarations (skipped). */
const FACT_TYPES = [AST_NODE_TYPES.VariableDeclarator, AST_NODE_TYPES.BinaryExpression, AST_NODE_TYPES.CallExpression, AST_NODE_TYPES.FunctionDeclaration];
const RETURN_TYPES = [AST_NODE_TYPES.ReturnStatement, AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.FunctionExpression, AST_NODE_TYPES.ArrowFunctionExpression];
const TEST_TYPES = [AST_NODE_TYPES.IfStatement, AST_NODE_TYPES.ConditionalExpression, AST_NODE_TYPES.LogicalExpression];
const LOGICAL = [AST_NODE_TYPES.LogicalExpression];
const CONSUMER_TYPES = [AST_NODE_TYPES.CallExpression, AST_NODE_TYPES.NewExpression];
const IF_STATEMENT = [AST_NODE_TYPES.IfStatement];
const fileCache = new Map<string, { mtimeMs: number; scope: ModuleScope | null }>();

export function moduleScope(program: TSESTree.Program, filename: string | null): ModuleScope {
  const cached = scopeCache.get(program);
  if (cached) return cached;
  const clients = trackSupabaseClients(program);
  const imports = new Map<string, { source: string; imported: string }>();
  const topLevel = new Map<string, FunctionNode>();
  const exported = new Map<string, FunctionNode>();
  const exportedNames = new Map<string, string>();
  const constructed = new Map<string, string>();
  for (const stmt of program.body) {
    if (stmt.type === AST_NODE_TYPES.ImportDeclaration) {
      for (const spec of stmt.specifiers) {
        const imported =
          spec.type === AST_NODE_TYPES.ImportNamespaceSpecifier
            ? '*'
            : spec.type === AST_NODE_TYPES.ImportDefaultSpecifier
              ? 'default'
              : spec.imported.type === AST_NODE_TYPES.Identifier
                ? spec.imported.name
                : String(spec.imported.value);
        imports.set(spec.local.name, { source: stmt.source.value, imported });
      }
      continue;
    }
    const isExport = stmt.type === AST_NODE_TYPES.ExportNamedDeclaration;
    const isDefault = stmt.type === AST_NODE_TYPES.ExportDefaultDeclaration;
    const decl = isExport || isDefault ? stmt.declaration : stmt;
    if (isExport && !stmt.declaration) {
      for (const spec of stmt.specifiers) {
        const local = spec.local.type === AST_NODE_TYPES.Identifier ? spec.local.name : String(spec.local.value);
        const name = spec.exported.type === AST_NODE_TYPES.Identifier ? spec.exported.name : String(spec.exported.value);
        exportedNames.set(name, local);
      }
    }
    if (!decl) continue;
    if (decl.type === AST_NODE_TYPES.FunctionDeclaration) {
      if (decl.id) topLevel.set(decl.id.name, decl);
      if (isDefault) exported.set('default', decl);
      else if (isExport && decl.id) exported.set(decl.id.name, decl);
    } else if (decl.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const d of decl.declarations) {
        if (d.id.type !== AST_NODE_TYPES.Identifier || !d.init) continue;
        const init = unwrap(d.init);
        if (isFunction(init)) {
          topLevel.set(d.id.name, init);
          if (isExport) exported.set(d.id.name, init);
        } else if (isExport) {
          exportedNames.set(d.id.name, d.id.name);
        }
      }
    } else if (isDefault && isFunction(unwrap(decl as TSESTree.Node))) {
      exported.set('default', unwrap(decl as TSESTree.Node) as FunctionNode);
    } else if (isDefault && (decl as TSESTree.Node).type === AST_NODE_TYPES.Identifier) {
      exportedNames.set('default', (decl as TSESTree.Identifier).name);
    }
  }
  for (const [name, local] of exportedNames) {
    const fn = topLevel.get(local);
    if (fn) exported.set(name, fn);
  }
  walkTypes(program, DECLARATOR, (node) => {
    if (node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.Identifier && node.init) {
      const init = unwrap(node.init);
      if (init.type === AST_NODE_TYPES.NewExpression) {
        const callee = memberPath(init.callee);
        if (callee) constructed.set(node.id.name, callee[callee.length - 1]);
      }
    }
  });
  const queryCalls = new Set(clients.queries.map((q) => q.from));
  const queryByFrom = new Map(clients.queries.map((q) => [q.from, q] as const));
  const scope: ModuleScope = { filename, program, clients, imports, topLevel, exported, exportedNames, constructed, queryCalls, queryByFrom, loaded: new Map() };
  scopeCache.set(program, scope);
  return scope;
}

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];

/** Parses a relatively imported module from disk (cached by path and mtime); null for anything else. */
/** Import specifier (resolved to an absolute base) → the file it found, to stat one path instead of eight. */
const resolvedPaths = new Map<string, string>();

export function loadRelativeModule(fromFile: string | null, source: string): ModuleScope | null {
  if (!fromFile || !(source.startsWith('./') || source.startsWith('../'))) return null;
  const base = path.resolve(path.dirname(path.resolve(fromFile)), source);
  const known = resolvedPaths.get(base);
  const candidates = known ? [known] : [...EXTENSIONS.map((e) => base + e)];
  if (!known && /\.(m?js)$/.test(base)) candidates.unshift(base.replace(/\.m?js$/, '.ts'));
  for (const file of candidates) {
    let mtimeMs: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) continue;
      mtimeMs = st.mtimeMs;
    } catch {
      continue;
    }
    resolvedPaths.set(base, file);
    const cached = fileCache.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.scope;
    let scope: ModuleScope | null = null;
    try {
      const program = parse(readFileSync(file, 'utf8'), {
        loc: true,
        range: true,
        sourceType: 'module',
        jsx: /\.[jt]sx$/.test(file),
      }) as TSESTree.Program;
      setParents(program);
      scope = moduleScope(program, file);
      scope.loaded = null;
    } catch {
      scope = null;
    }
    fileCache.set(file, { mtimeMs, scope });
    return scope;
  }
  return null;
}

/** `loadRelativeModule` from a module's scope, remembered for the lint of that module (see `ModuleScope.loaded`). */
function importedModule(scope: ModuleScope, source: string): ModuleScope | null {
  if (!scope.loaded) return loadRelativeModule(scope.filename, source);
  let target = scope.loaded.get(source);
  if (target === undefined) {
    target = loadRelativeModule(scope.filename, source);
    scope.loaded.set(source, target);
  }
  return target;
}

function setParents(program: TSESTree.Program): void {
  walk(program, (node, parent) => {
    if (parent) (node as { parent?: TSESTree.Node }).parent = parent;
  });
}

export interface ResolvedFunction {
  fn: FunctionNode;
  scope: ModuleScope;
}

/** The function a call runs, when it is declared in this file (any enclosing scope) or exported by a relative import. */
export function resolveCall(scope: ModuleScope, call: TSESTree.CallExpression): ResolvedFunction | null {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return resolveName(scope, callee.name, call);
  if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.Identifier) {
    const imp = scope.imports.get(callee.object.name);
    const name = propertyName(callee);
    if (imp && imp.imported === '*' && name) {
      const target = importedModule(scope, imp.source);
      const fn = target?.exported.get(name);
      if (target && fn) return { fn, scope: target };
    }
  }
  return null;
}

const blockFunctions = new WeakMap<TSESTree.Node, Map<string, FunctionNode>>();

/** Functions declared directly in a block (`function f() {}`, `const f = () => {}`), indexed once per block. */
function functionsOfBlock(block: TSESTree.BlockStatement | TSESTree.Program): Map<string, FunctionNode> {
  let map = blockFunctions.get(block);
  if (map) return map;
  map = new Map();
  for (const stmt of block.body) {
    if (stmt.type === AST_NODE_TYPES.FunctionDeclaration && stmt.id) map.set(stmt.id.name, stmt);
    if (stmt.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const d of stmt.declarations) {
        if (d.id.type === AST_NODE_TYPES.Identifier && d.init && isFunction(unwrap(d.init))) map.set(d.id.name, unwrap(d.init) as FunctionNode);
      }
    }
  }
  blockFunctions.set(block, map);
  return map;
}

function resolveName(scope: ModuleScope, name: string, from: TSESTree.Node): ResolvedFunction | null {
  // Lexical lookup: declarations in enclosing blocks (nested helpers inside a handler).
  let cur: TSESTree.Node | undefined = from.parent;
  while (cur) {
    if (cur.type === AST_NODE_TYPES.BlockStatement || cur.type === AST_NODE_TYPES.Program) {
      const fn = functionsOfBlock(cur).get(name);
      if (fn) return { fn, scope };
    }
    cur = cur.parent;
  }
  const top = scope.topLevel.get(name);
  if (top) return { fn: top, scope };
  const imp = scope.imports.get(name);
  if (imp && imp.imported !== '*') {
    const target = importedModule(scope, imp.source);
    const fn = target?.exported.get(imp.imported);
    if (target && fn) return { fn, scope: target };
  }
  return null;
}

/** Kind of a Supabase client expression, also following clients exported by a relative import. */
export function clientKindIn(scope: ModuleScope, node: TSESTree.Node): ClientKind | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.MemberExpression && propertyName(n.callee) === 'schema') {
    return clientKindIn(scope, n.callee.object);
  }
  if (n.type === AST_NODE_TYPES.Identifier) {
    const imp = scope.imports.get(n.name);
    if (imp && imp.imported !== '*') {
      const target = importedModule(scope, imp.source);
      if (target) {
        const local = target.exportedNames.get(imp.imported) ?? imp.imported;
        const kind = target.clients.variables.get(local);
        if (kind) return kind;
      }
    }
  }
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const resolved = resolveCall(scope, n);
    if (resolved && resolved.scope !== scope) {
      const kind = resolved.scope.clients.kindOf(n);
      const helperName = calleePath(n)?.slice(-1)[0];
      if (helperName) {
        // The helper's own module knows what it returns.
        for (const q of [resolved.fn]) {
          let k: ClientKind | null = null;
          walk(q.body, (m) => {
            if (m.type === AST_NODE_TYPES.CallExpression) {
              const inner = resolved.scope.clients.kindOf(m);
              if (inner === 'service-role') k = 'service-role';
              else if (inner && !k) k = inner;
            }
          });
          if (k) return k;
        }
      }
      if (kind) return kind;
    }
  }
  return scope.clients.kindOf(n);
}

// ───────────────────────────── vocabulary ─────────────────────────────

const RAW_READS = new Set(['text', 'arrayBuffer', 'blob', 'bytes']);
const PARSED_READS = new Set(['json', 'formData', 'parseBody']);
export const TIMING_SAFE = /^(timingSafeEqual|timingSafeCompare|timingSafeStringEqual|timingSafeEq|constantTimeEqual|constantTimeCompare|constantTimeEquals|safeCompare|safeEqual|secureCompare|secureEqual|compareSafe|tsse)$/i;
/** Names of unresolvable calls that, by convention, verify the caller. */
const VERIFIER_NAME =
  /^(verify|validate|check|assert|require|ensure|authenticate|authorize|authorise|autenticar|autorizar|validar|verificar|getAuthenticated|getVerified)\w*?(signature|assinatura|webhook|auth|token|jwt|user|usuario|caller|secret|hmac|request|req|apikey|api_?key|key|admin|cron|bearer|header|hook|svix|stripe|clinic|session|sender|origin)?$/i;
const VERIFIER_HINT = /(signature|assinatura|webhook|auth|token|jwt|user|usuario|caller|secret|hmac|request|apikey|api_?key|admin|cron|bearer|hook|svix|stripe|sender|session)/i;
const BOOLEAN_VERIFIER = /^(is|has)(valid|verified|authori[sz]ed|authenticated|trusted)\w*$|^(is|has)\w*(signature|secret|token|apikey|api_?key|auth)\w*$/i;
const HONO_AUTH_MIDDLEWARE = /^(bearerAuth|basicAuth|jwt|jwk|verifyJwt|verifyToken)$/;
/** Secret-ish words in identifiers, env names and header names. */
export const SECRETISH = /(secret|signature|signing|hmac|digest|api[_-]?key|apikey|password|senha|passwd|token|assinatura|bearer|webhook[_-]?key|auth[_-]?key|cron[_-]?key|service[_-]?role|service[_-]?key)/i;
const SECRET_VETO = /(type|name|url|length|count|expires|expiry|expiration|_at$|At$|_id$|Id$|header[_-]?name|prefix|format|scheme|version|timestamp|kind|status|provider|field|label|enabled|required|present|exists)$/i;
const HEADER_SECRETISH = /(secret|signature|token|key|auth|hmac|sign)/i;
const PUBLIC_ENV = /(ANON|PUBLISHABLE|PUBLIC|URL|HOST|PROJECT|REGION|_ID$)/i;
const SDK_BUILTINS = new Set([
  'Response', 'Request', 'URL', 'URLSearchParams', 'Headers', 'Date', 'Map', 'Set', 'WeakMap', 'WeakSet', 'TextEncoder',
  'TextDecoder', 'Error', 'Promise', 'Webhook', 'Hono', 'OpenAPIHono', 'FormData', 'Blob', 'File', 'AbortController',
  'RegExp', 'Array', 'Uint8Array', 'ArrayBuffer', 'Intl', 'ReadableStream', 'WritableStream', 'TransformStream', 'Router',
  'Application', 'EventEmitter', 'Buffer', 'DataView',
]);

// ───────────────────────────── facts ─────────────────────────────

export interface Origin {
  /** File the fact was found in (null: the linted file when its name is unknown). */
  file: string | null;
  line: number;
  column: number;
  /** Short source text or description for messages (`req.json()`, `supabaseAdmin.from('pacientes')`). */
  text: string;
}

export type VerifyKind = 'throws' | 'value' | 'response' | 'unknown';

export interface VerifyFact {
  kind: 'verify';
  node: TSESTree.Node;
  vkind: VerifyKind;
  label: string;
  /** A primitive of this file (not a helper call): issues about it are reported at it. */
  primitive: boolean;
  /** `===`/`!==` on a secret: counts as a verification but is reported on its own. */
  insecure: boolean;
  /** Stripe's synchronous `constructEvent`. */
  syncStripe: boolean;
  origin: Origin;
}
export interface ReadFact {
  kind: 'read';
  mode: 'raw' | 'parsed';
  node: TSESTree.Node;
  origin: Origin;
  /** Where the read really is (inside a helper, maybe in another file); `node` is where it happens for this function. */
  originNode: TSESTree.Node;
}
export interface ServiceFact {
  kind: 'service';
  node: TSESTree.Node;
  origin: Origin;
  originNode: TSESTree.Node;
}
export interface RiskyFact {
  kind: 'risky';
  node: TSESTree.Node;
  origin: Origin;
  originNode: TSESTree.Node;
}
export type Fact = VerifyFact | ReadFact | ServiceFact | RiskyFact;
export type Exposure = ReadFact | ServiceFact;

/** What a handler's first parameter is bound to: the Request, or a Hono context. */
export function handlerRoles(handler: Handler): Roles {
  const roles: Roles = { request: new Set(), honoContext: new Set(), raw: new Set() };
  if (handler.requestParam) {
    if (handler.requestVia === 'hono-context') roles.honoContext.add(handler.requestParam);
    else roles.request.add(handler.requestParam);
  }
  return roles;
}

export interface Roles {
  /** Names bound to the Request. */
  request: Set<string>;
  /** Names bound to a Hono context (`c.req`). */
  honoContext: Set<string>;
  /** Names bound to the raw body text/bytes. */
  raw: Set<string>;
}

export interface VerifyOutcome {
  fact: VerifyFact;
  /** Nodes after which the verification is known to have passed (its call, or the `if` that stops on failure). */
  stops: Array<{ node: TSESTree.Node; exit: 'return' | 'throw' }>;
  /** Subtrees that only run when it passed (`if (valid) { … }`). */
  guards: TSESTree.Node[];
  /** The verification's value is returned to the caller. */
  returned: boolean;
  /** Its result is computed but nothing uses it to stop the handler. */
  notEnforced: boolean;
  /** A throwing verification inside a try whose catch neither returns nor throws. */
  swallowedBy: TSESTree.CatchClause | null;
  /** `if (secret) { verify }`: the test that skips verification when a secret or signature is missing. */
  skippedUnless: TSESTree.Node | null;
}

export interface FunctionSummary {
  fn: FunctionNode;
  scope: ModuleScope;
  facts: Fact[];
  outcomes: VerifyOutcome[];
  /** Body reads and service-role uses no verification stops before. */
  exposures: Exposure[];
  /** How calling this function verifies, for its callers. */
  verifies: VerifyKind | null;
  /** Risky work not covered by a try/catch (or `.catch()`) in this function. */
  unprotected: RiskyFact[];
}

export interface AnalysisOptions {
  /** Extra names of functions that verify the caller (throw or return a falsy value on failure). */
  verifiers?: string[];
  /** Extra names of timing-safe comparison functions. */
  timingSafe?: string[];
}

export class VerificationAnalysis {
  private readonly memo = new Map<string, FunctionSummary>();
  private readonly inProgress = new Set<string>();
  private readonly fnIds = new WeakMap<FunctionNode, number>();
  private nextId = 1;
  private readonly timingSafeExtra: Set<string>;
  private readonly verifierExtra: Set<string>;

  constructor(private readonly options: AnalysisOptions = {}) {
    this.timingSafeExtra = new Set(options.timingSafe ?? []);
    this.verifierExtra = new Set(options.verifiers ?? []);
  }

  /** Every summary computed so far (handlers and the helpers they reach). */
  summaries(): FunctionSummary[] {
    return [...this.memo.values()];
  }

  summarize(fn: FunctionNode, scope: ModuleScope, roles: Roles, depth = 0): FunctionSummary {
    const key = `${this.idOf(fn)}|${[...roles.request].sort().join(',')}|${[...roles.honoContext].sort().join(',')}|${[...roles.raw].sort().join(',')}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    if (this.inProgress.has(key) || depth > 6) {
      return { fn, scope, facts: [], outcomes: [], exposures: [], verifies: null, unprotected: [] };
    }
    this.inProgress.add(key);
    const facts = this.collectFacts(fn, scope, roles, depth);
    const outcomes = facts.filter((f): f is VerifyFact => f.kind === 'verify').map((f) => this.outcome(f, fn, facts));
    const exposures = facts.filter((f): f is Exposure => f.kind === 'read' || f.kind === 'service').filter((f) => !isCovered(f, outcomes, fn));
    const verifies = summarizeVerifies(outcomes, fn);
    const unprotected = facts.filter((f): f is RiskyFact => f.kind === 'risky' && !isProtected(f.node, fn));
    const summary: FunctionSummary = { fn, scope, facts, outcomes, exposures, verifies, unprotected };
    this.inProgress.delete(key);
    this.memo.set(key, summary);
    return summary;
  }

  private idOf(fn: FunctionNode): number {
    let id = this.fnIds.get(fn);
    if (!id) {
      id = this.nextId++;
      this.fnIds.set(fn, id);
    }
    return id;
  }

  private collectFacts(fn: FunctionNode, scope: ModuleScope, initialRoles: Roles, depth: number): Fact[] {
    const roles: Roles = { request: new Set(initialRoles.request), honoContext: new Set(initialRoles.honoContext), raw: new Set(initialRoles.raw) };
    const facts: Fact[] = [];
    const origin = (node: TSESTree.Node, text?: string): Origin => ({
      file: scope.filename,
      line: node.loc.start.line,
      column: node.loc.start.column + 1,
      text: text ?? shortText(node),
    });
    const verifyNodes = new Set<TSESTree.Node>();

    walkTypes(fn.body, FACT_TYPES, (node) => {
      // Nested helper definitions run when called, not where written.
      if (node !== fn.body && isHelperDefinition(node)) return false;

      if (node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.Identifier && node.init) {
        const init = unwrap(node.init);
        if (isRequestish(init, roles)) roles.request.add(node.id.name);
        if (init.type === AST_NODE_TYPES.CallExpression) {
          const mode = bodyReadMode(init, roles);
          if (mode === 'raw') roles.raw.add(node.id.name);
        }
      }
      if (node.type === AST_NODE_TYPES.BinaryExpression) {
        if (insecureSecretCompare(node)) {
          const f: VerifyFact = { kind: 'verify', node, vkind: 'value', label: shortText(node), primitive: true, insecure: true, syncStripe: false, origin: origin(node) };
          facts.push(f);
          verifyNodes.add(node);
        }
        return true;
      }
      if (node.type === AST_NODE_TYPES.CallExpression) {
        // JSON.parse(raw) / new URLSearchParams(raw) trust the body.
        const path = calleePath(node);
        if (path?.join('.') === 'JSON.parse' && node.arguments[0] && referencesAny(node.arguments[0], roles.raw)) {
          facts.push({ kind: 'read', mode: 'parsed', node, origin: origin(node), originNode: node });
          return true;
        }
        const mode = bodyReadMode(node, roles);
        if (mode) {
          facts.push({ kind: 'read', mode, node, origin: origin(node), originNode: node });
          if (mode === 'parsed' && isAwaitedOrReturned(node)) facts.push({ kind: 'risky', node, origin: origin(node), originNode: node });
          return true;
        }
        const primitive = this.primitiveVerification(node, scope);
        if (primitive) {
          facts.push({ ...primitive, origin: origin(node, primitive.label) });
          verifyNodes.add(node);
          return true;
        }
        const lookup = secretLookup(node, scope);
        if (lookup) {
          // `admin.from('clinics').select('id').eq('verify_token', token)`: finding the caller by a secret is a verification.
          facts.push({ kind: 'verify', node: lookup.top, vkind: 'response', label: lookup.label, primitive: true, insecure: false, syncStripe: false, origin: origin(lookup.top, lookup.label) });
          verifyNodes.add(lookup.top);
          return true;
        }
        if (isServiceRoleUse(node, scope)) facts.push({ kind: 'service', node, origin: origin(node), originNode: node });
        const resolved = resolveCall(scope, node);
        if (resolved && resolved.fn !== fn) {
          const calleeRoles = rolesForCall(resolved.fn, node, roles);
          const inner = this.summarize(resolved.fn, resolved.scope, calleeRoles, depth + 1);
          const name = calleePath(node)?.join('.') ?? 'helper';
          if (inner.verifies) {
            facts.push({ kind: 'verify', node, vkind: inner.verifies, label: `${name}()`, primitive: false, insecure: false, syncStripe: false, origin: origin(node, `${name}()`) });
            verifyNodes.add(node);
          }
          for (const e of inner.exposures) {
            facts.push(
              e.kind === 'read'
                ? { kind: 'read', mode: e.mode, node, origin: e.origin, originNode: e.originNode }
                : { kind: 'service', node, origin: e.origin, originNode: e.originNode },
            );
          }
          if (!inner.verifies && inner.unprotected.length > 0 && isAwaitedOrReturned(node)) {
            facts.push({ kind: 'risky', node, origin: { ...inner.unprotected[0].origin, text: `${name}() → ${inner.unprotected[0].origin.text}` }, originNode: inner.unprotected[0].originNode });
          }
          return true;
        }
        if (!resolved) {
          const named = this.namedVerifier(node);
          if (named) {
            facts.push({ kind: 'verify', node, vkind: named, label: `${calleePath(node)?.join('.') ?? 'verify'}()`, primitive: false, insecure: false, syncStripe: false, origin: origin(node) });
            verifyNodes.add(node);
            return true;
          }
        }
        if (isAwaitedOrReturned(node) && isRiskyCall(node, scope)) facts.push({ kind: 'risky', node, origin: origin(node), originNode: node });
      }
      return true;
    });
    facts.sort((a, b) => a.node.range[0] - b.node.range[0] || b.node.range[1] - a.node.range[1]);
    return facts;
  }

  /** Verifications recognised by their API, not by following a helper. */
  primitiveVerification(node: TSESTree.CallExpression, scope: ModuleScope): Omit<VerifyFact, 'origin'> | null {
    const path = calleePath(node);
    const callee = unwrap(node.callee);
    const last = path?.[path.length - 1] ?? (callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : null);
    if (!last) return null;
    const label = path ? `${path.join('.')}()` : `${last}()`;
    const base = { kind: 'verify' as const, node, primitive: true, insecure: false, syncStripe: false };
    if (last === 'constructEventAsync') return { ...base, vkind: 'throws', label };
    if (last === 'constructEvent' && callee.type === AST_NODE_TYPES.MemberExpression && (path?.includes('webhooks') || /stripe/i.test(path?.[0] ?? ''))) {
      return { ...base, vkind: 'throws', label, syncStripe: true };
    }
    if (path && (path.join('.') === 'crypto.subtle.verify' || path.join('.') === 'subtle.verify')) return { ...base, vkind: 'value', label };
    if (TIMING_SAFE.test(last) || this.timingSafeExtra.has(last)) return { ...base, vkind: 'value', label };
    if (callee.type === AST_NODE_TYPES.MemberExpression && (last === 'getUser' || last === 'getClaims') && path?.includes('auth')) {
      return { ...base, vkind: 'value', label };
    }
    if (/^(jwtVerify|verifyJwt|verifyJWT)$/.test(last)) return { ...base, vkind: 'throws', label };
    if ((last === 'verify' || last === 'unwrap') && callee.type === AST_NODE_TYPES.MemberExpression) {
      const object = unwrap(callee.object);
      if (object.type === AST_NODE_TYPES.NewExpression) return { ...base, vkind: 'throws', label: `new ${memberPath(object.callee)?.join('.') ?? 'Webhook'}(…).${last}()` };
      const objPath = memberPath(object);
      const root = objPath?.[0];
      if (root && scope.constructed.has(root) && /webhook|svix|standard/i.test(scope.constructed.get(root)!)) return { ...base, vkind: 'throws', label };
      if (objPath && objPath.some((p) => /webhook|svix|jwt|jose|wh$|hook/i.test(p))) return { ...base, vkind: 'throws', label };
    }
    if (last === 'verify' && callee.type === AST_NODE_TYPES.Identifier) {
      const imp = scope.imports.get('verify');
      if (imp && !imp.source.startsWith('.')) return { ...base, vkind: 'throws', label };
    }
    return null;
  }

  /** Unresolvable calls whose names say they verify: `verifyWebhookSignature(req)`, `isValidSignature(...)`. */
  private namedVerifier(node: TSESTree.CallExpression): VerifyKind | null {
    const path = calleePath(node);
    const last = path?.[path.length - 1];
    if (!last) return null;
    if (this.verifierExtra.has(last) || (path && this.verifierExtra.has(path.join('.')))) return 'unknown';
    if (BOOLEAN_VERIFIER.test(last)) return 'value';
    if (VERIFIER_NAME.test(last) && VERIFIER_HINT.test(last)) return 'unknown';
    return null;
  }

  private outcome(fact: VerifyFact, fn: FunctionNode, facts: Fact[]): VerifyOutcome {
    const out: VerifyOutcome = { fact, stops: [], guards: [], returned: false, notEnforced: false, swallowedBy: null, skippedUnless: null };
    const node = fact.node;
    const use = valueUse(node, fn);
    const throwing = fact.vkind === 'throws' || (fact.vkind === 'unknown' && use.kind !== 'test' && use.kind !== 'bound');
    if (throwing) {
      out.stops.push({ node, exit: 'throw' });
      const swallow = swallowingCatch(node, fn);
      if (swallow) {
        // Stops the try block it is in; after the try, the handler carries on.
        const after = facts.some((f) => f !== fact && f.kind !== 'verify' && f.node.range[0] > swallow.parent.range[1]);
        const boundUsedAfter = use.kind === 'bound' && use.names.some((n) => referencedAfter(fn, n, swallow.parent.range[1]));
        if (after || boundUsedAfter) {
          out.swallowedBy = swallow;
          if (fact.primitive || fact.vkind === 'throws') out.notEnforced = true;
        }
      }
    }
    if (use.kind === 'returned') out.returned = true;
    if (use.kind === 'test' || use.kind === 'bound') {
      const tests = use.kind === 'test' ? [use.test] : findTests(fn, use.names, node.range[1]);
      let failureWithoutExit = false;
      for (const t of tests) {
        const r = analyseTest(t.test, t.owner, use.kind === 'test' ? null : use.names, node);
        if (r.stop) out.stops.push(r.stop);
        out.guards.push(...r.guards);
        if (r.failureWithoutExit) failureWithoutExit = true;
      }
      if (use.kind === 'bound' && use.names.some((n) => returnedName(fn, n))) out.returned = true;
      // Flags set where it passed: `if (!error && data.user) { userId = data.user.id }` … `if (!userId) return 401`.
      let frontier = [...out.guards];
      for (let round = 0; round < 3 && frontier.length > 0; round++) {
        const flags = assignedNames(frontier).filter((name) => startsEmpty(fn, name));
        if (flags.length === 0) break;
        const after = Math.min(...frontier.map((g) => g.range[1]));
        const next: TSESTree.Node[] = [];
        for (const t of findTests(fn, flags, after)) {
          const r = analyseTest(t.test, t.owner, flags, node);
          if (r.stop) out.stops.push(r.stop);
          for (const g of r.guards) if (!out.guards.includes(g)) next.push(g);
        }
        out.guards.push(...next);
        frontier = next;
      }
      const unused = use.kind === 'bound' && tests.length === 0 && !use.names.some((n) => referencedAfter(fn, n, node.range[1]));
      if (!throwing && out.stops.length === 0 && out.guards.length === 0 && !out.returned) {
        if (failureWithoutExit || (unused && fact.vkind !== 'unknown')) out.notEnforced = fact.vkind !== 'response';
      }
    }
    if (fact.vkind === 'unknown' && !throwing && out.stops.length === 0 && out.guards.length === 0 && !out.returned) {
      // A helper we cannot read, whose result is kept but never tested: assume it throws on failure.
      out.stops.push({ node, exit: 'throw' });
    }
    if (use.kind === 'ignored' && (fact.vkind === 'value')) out.notEnforced = true;
    out.skippedUnless = skippedUnlessSecret(node, fn);
    return out;
  }
}

// ───────────────────────────── classification helpers ─────────────────────────────

function isHelperDefinition(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.FunctionDeclaration) return true;
  if (node.type === AST_NODE_TYPES.VariableDeclarator && node.init && isFunction(unwrap(node.init))) return true;
  return false;
}

export function isRequestish(node: TSESTree.Node, roles: Roles): boolean {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) return roles.request.has(n.name);
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const p = memberPath(n);
    if (!p) return false;
    if (p.length === 2 && p[1] === 'req' && roles.honoContext.has(p[0])) return true;
    if (p.length === 3 && p[1] === 'req' && p[2] === 'raw' && roles.honoContext.has(p[0])) return true;
    return false;
  }
  if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.MemberExpression && propertyName(n.callee) === 'clone') {
    return isRequestish(n.callee.object, roles);
  }
  return false;
}

/** `req.json()` → parsed, `req.text()` → raw, `c.req.valid('json')` → parsed. */
export function bodyReadMode(call: TSESTree.CallExpression, roles: Roles): 'raw' | 'parsed' | null {
  if (call.callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const name = propertyName(call.callee);
  if (!name) return null;
  if (!isRequestish(call.callee.object, roles)) return null;
  if (RAW_READS.has(name)) return 'raw';
  if (PARSED_READS.has(name)) return 'parsed';
  if (name === 'valid') {
    const target = stringValue(call.arguments[0]);
    return target === 'json' || target === 'form' ? 'parsed' : null;
  }
  return null;
}

function isServiceRoleUse(call: TSESTree.CallExpression, scope: ModuleScope): boolean {
  if (call.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const method = propertyName(call.callee);
  const receiver = call.callee.object;
  if (method === 'from' || method === 'rpc') {
    const r = unwrap(receiver);
    if (r.type === AST_NODE_TYPES.MemberExpression && propertyName(r) === 'storage') return clientKindIn(scope, r.object) === 'service-role';
    if (method === 'from' && !scope.queryCalls.has(call) && clientKindIn(scope, receiver) === null) return false;
    return clientKindIn(scope, receiver) === 'service-role';
  }
  const p = memberPath(call.callee);
  if (p && p.length >= 3 && p[p.length - 3] === 'auth' && p[p.length - 2] === 'admin') {
    return clientKindIn(scope, memberObject(call.callee, 3)) === 'service-role';
  }
  if (p && p.length >= 2 && p[p.length - 2] === 'functions' && method === 'invoke') {
    return clientKindIn(scope, memberObject(call.callee, 2)) === 'service-role';
  }
  return false;
}

const SECRET_COLUMN = /(token|secret|api_?key|key_hash|token_hash|apikey|webhook_key|signing)/i;

/** A query that finds a row by a secret column (`.eq('verify_token', token)`): a lookup that authenticates the caller. */
function secretLookup(call: TSESTree.CallExpression, scope: ModuleScope): { top: TSESTree.CallExpression; label: string } | null {
  if (!scope.queryCalls.has(call)) return null;
  const chain = scope.queryByFrom.get(call);
  if (!chain || (chain.operation !== 'select' && chain.operation !== 'rpc')) return null;
  if (chain.operation === 'rpc') {
    const args = chain.from.arguments[1];
    const keys =
      args?.type === AST_NODE_TYPES.ObjectExpression
        ? args.properties.map((p) => (p.type === AST_NODE_TYPES.Property && p.key.type === AST_NODE_TYPES.Identifier ? p.key.name : ''))
        : [];
    const byName = chain.table && (/^(verify|validate|authenticate|authorize|is_valid)_/i.test(chain.table) || /(key|token)_owner/i.test(chain.table));
    const byArg = keys.find((k) => k && /(key_hash|token_hash|hashed_key|api_?key|secret|verify_token|webhook_token)/i.test(k));
    if (byName || byArg) return { top: chain.top, label: `${chain.table ?? 'rpc'}()` };
    return null;
  }
  for (const f of chain.filters) {
    if (f.method !== 'eq' && f.method !== 'match') continue;
    const column = f.method === 'eq' ? stringValue(f.call.arguments[0]) : null;
    const matchKeys =
      f.method === 'match' && f.call.arguments[0]?.type === AST_NODE_TYPES.ObjectExpression
        ? f.call.arguments[0].properties.map((p) => (p.type === AST_NODE_TYPES.Property && p.key.type === AST_NODE_TYPES.Identifier ? p.key.name : ''))
        : [];
    const hit = [column ?? '', ...matchKeys].find((c) => c && SECRET_COLUMN.test(c) && !/(_id|_at|type|expires)$/i.test(c));
    // OAuth callbacks find the pending connection by the CSRF `state` they handed out.
    if (!hit && column && /^(oauth_|csrf_)?(state|nonce)$/i.test(column) && isOauthStateValue(f.call.arguments[1])) {
      return { top: chain.top, label: `${chain.table ?? 'table'} lookup by ${column}` };
    }
    if (hit) return { top: chain.top, label: `${chain.table ?? 'table'} lookup by ${hit}` };
  }
  return null;
}

function isOauthStateValue(node: TSESTree.Node | undefined): boolean {
  if (!node) return false;
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) return /^(oauth)?state$|^nonce$/i.test(n.name);
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const p = calleePath(n);
    return !!p && p[p.length - 1] === 'get' && /^(state|nonce)$/.test(stringValue(n.arguments[0]) ?? '');
  }
  return false;
}

function memberObject(node: TSESTree.Node, levels: number): TSESTree.Node {
  let cur = unwrap(node);
  for (let i = 0; i < levels && cur.type === AST_NODE_TYPES.MemberExpression; i++) cur = unwrap(cur.object);
  return cur;
}

function chainRoot(node: TSESTree.Node): TSESTree.Node {
  let cur = unwrap(node);
  for (;;) {
    if (cur.type === AST_NODE_TYPES.MemberExpression) cur = unwrap(cur.object);
    else if (cur.type === AST_NODE_TYPES.CallExpression) cur = unwrap(cur.callee);
    else return cur;
  }
}

function chainContains(node: TSESTree.Node, set: Set<TSESTree.CallExpression>): boolean {
  let cur = unwrap(node);
  for (;;) {
    if (cur.type === AST_NODE_TYPES.CallExpression) {
      if (set.has(cur)) return true;
      cur = unwrap(cur.callee);
    } else if (cur.type === AST_NODE_TYPES.MemberExpression) cur = unwrap(cur.object);
    else return false;
  }
}

/** Database, network and SDK calls: they throw (or reject) on the network or on bad input. */
function isRiskyCall(call: TSESTree.CallExpression, scope: ModuleScope): boolean {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name === 'fetch';
  const path = memberPath(callee);
  if (path && path.join('.') === 'globalThis.fetch') return true;
  // A query chain's outermost call: `supabase.from('x').insert(y).select()`.
  if (chainContains(call, scope.queryCalls)) return isChainTop(call);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = propertyName(callee);
  if (!name || name === 'then' || name === 'catch' || name === 'finally') return false;
  const root = chainRoot(callee);
  if (root.type !== AST_NODE_TYPES.Identifier) return false;
  const ctor = scope.constructed.get(root.name);
  const depthOk = chainLength(callee) >= 2;
  if (ctor && !SDK_BUILTINS.has(ctor) && /^[A-Z]/.test(ctor) && depthOk) return isChainTop(call);
  const kind = clientKindIn(scope, root);
  if (kind && chainLength(callee) >= 3) {
    const p = memberPath(callee);
    if (p && p[1] === 'auth' && !(p[2] === 'admin')) return false; // auth.getUser & co. are verification, not work
    return isChainTop(call);
  }
  return false;
}

function chainLength(node: TSESTree.Node): number {
  let n = 0;
  let cur = unwrap(node);
  for (;;) {
    if (cur.type === AST_NODE_TYPES.MemberExpression) {
      n++;
      cur = unwrap(cur.object);
    } else if (cur.type === AST_NODE_TYPES.CallExpression) cur = unwrap(cur.callee);
    else return n + 1;
  }
}

function isChainTop(call: TSESTree.CallExpression): boolean {
  const p = call.parent;
  if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === call) {
    const name = propertyName(p);
    return name === 'then' || name === 'catch' || name === 'finally';
  }
  return true;
}

export function isAwaitedOrReturned(node: TSESTree.Node): boolean {
  let cur: TSESTree.Node = node;
  for (;;) {
    const p: TSESTree.Node | undefined = cur.parent;
    if (!p) return false;
    if (p.type === AST_NODE_TYPES.AwaitExpression) return true;
    if (p.type === AST_NODE_TYPES.ReturnStatement) return true;
    if (p.type === AST_NODE_TYPES.ArrowFunctionExpression && p.body === cur) return true;
    if (p.type === AST_NODE_TYPES.ArrayExpression) {
      cur = p;
      continue;
    }
    if (
      p.type === AST_NODE_TYPES.TSAsExpression ||
      p.type === AST_NODE_TYPES.TSNonNullExpression ||
      p.type === AST_NODE_TYPES.ChainExpression ||
      p.type === AST_NODE_TYPES.TSSatisfiesExpression
    ) {
      cur = p;
      continue;
    }
    if (p.type === AST_NODE_TYPES.MemberExpression && p.object === cur) {
      const name = propertyName(p);
      if (name === 'then' || name === 'catch' || name === 'finally') {
        cur = p.parent ?? p;
        continue;
      }
      return false;
    }
    if (p.type === AST_NODE_TYPES.CallExpression && p.arguments.includes(cur as TSESTree.CallExpressionArgument)) {
      const path = calleePath(p);
      if (path && path[0] === 'Promise') {
        cur = p;
        continue;
      }
    }
    return false;
  }
}

function rolesForCall(fn: FunctionNode, call: TSESTree.CallExpression, roles: Roles): Roles {
  const out: Roles = { request: new Set(), honoContext: new Set(), raw: new Set() };
  fn.params.forEach((param, index) => {
    const arg = call.arguments[index];
    if (!arg || arg.type === AST_NODE_TYPES.SpreadElement) return;
    const name =
      param.type === AST_NODE_TYPES.Identifier
        ? param.name
        : param.type === AST_NODE_TYPES.AssignmentPattern && param.left.type === AST_NODE_TYPES.Identifier
          ? param.left.name
          : null;
    if (!name) return;
    const a = unwrap(arg);
    if (isRequestish(a, roles)) out.request.add(name);
    else if (a.type === AST_NODE_TYPES.Identifier && roles.honoContext.has(a.name)) out.honoContext.add(name);
    else if (a.type === AST_NODE_TYPES.Identifier && roles.raw.has(a.name)) out.raw.add(name);
  });
  return out;
}

function referencesAny(node: TSESTree.Node, names: Set<string>): boolean {
  if (names.size === 0) return false;
  let found = false;
  walkTypes(node, IDENTIFIER, (n) => {
    if (n.type === AST_NODE_TYPES.Identifier && names.has(n.name)) {
      found = true;
      return STOP_WALK;
    }
    return true;
  });
  return found;
}

/** `===`/`!==` between a secret (or signature) and another non-constant value. */
export function insecureSecretCompare(node: TSESTree.BinaryExpression): boolean {
  if (!['===', '!==', '==', '!='].includes(node.operator)) return false;
  const left = node.left as TSESTree.Node;
  const right = node.right as TSESTree.Node;
  if (isConstantish(left) || isConstantish(right)) return false;
  // `token === token.toLowerCase()`: a shape check of one value, not a comparison of two.
  const l = rootName(left);
  if (l !== null && l === rootName(right)) return false;
  return (isSecretish(left) && !isConstantish(right)) || (isSecretish(right) && !isConstantish(left));
}

function rootName(node: TSESTree.Node): string | null {
  const root = chainRoot(node);
  return root.type === AST_NODE_TYPES.Identifier ? root.name : null;
}

function isConstantish(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Literal) return true;
  if (n.type === AST_NODE_TYPES.Identifier && (n.name === 'undefined' || n.name === 'NaN')) return true;
  if (n.type === AST_NODE_TYPES.TemplateLiteral && n.expressions.length === 0) return true;
  if (n.type === AST_NODE_TYPES.UnaryExpression) return true; // typeof x, !x, -1
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const name = propertyName(n);
    if (name && /^(length|size|byteLength|type|method|status|kind|name|id)$/.test(name)) return true;
  }
  if (n.type === AST_NODE_TYPES.BinaryExpression) return true;
  return false;
}

/** Does an expression hold a secret or a signature? (names, env reads, secret headers, templates with them). */
export function isSecretish(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  const env = envVarName(n);
  if (env) return SECRETISH.test(env) && !PUBLIC_ENV.test(env);
  if (n.type === AST_NODE_TYPES.Identifier) return secretName(n.name);
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const name = propertyName(n);
    return !!name && secretName(name);
  }
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const path = calleePath(n);
    const last = path?.[path.length - 1];
    if (last === 'get' && path && path[path.length - 2] === 'headers') {
      const header = stringValue(n.arguments[0]);
      return !!header && HEADER_SECRETISH.test(header);
    }
    if (last === 'header' && path && path.includes('req')) {
      const header = stringValue(n.arguments[0]);
      return !!header && HEADER_SECRETISH.test(header);
    }
    if ((last === 'trim' || last === 'toLowerCase' || last === 'replace' || last === 'toString') && n.callee.type === AST_NODE_TYPES.MemberExpression) {
      return isSecretish(n.callee.object);
    }
    return false;
  }
  if (n.type === AST_NODE_TYPES.TemplateLiteral) return n.expressions.some((e) => isSecretish(e));
  if (n.type === AST_NODE_TYPES.LogicalExpression) return isSecretish(n.left);
  return false;
}

function secretName(name: string): boolean {
  return SECRETISH.test(name) && !SECRET_VETO.test(name);
}

function shortText(node: TSESTree.Node): string {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrap(n.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const name = propertyName(callee) ?? '?';
      const obj = shortChain(callee.object);
      const arg = stringValue(n.arguments[0]);
      return `${obj}.${name}(${arg !== null ? `'${arg}'` : ''})`;
    }
    const p = calleePath(n);
    return `${p?.join('.') ?? 'call'}()`;
  }
  if (n.type === AST_NODE_TYPES.BinaryExpression) return `${shortChain(n.left)} ${n.operator} ${shortChain(n.right)}`;
  return memberPath(n)?.join('.') ?? n.type;
}

function shortChain(node: TSESTree.Node): string {
  const n = unwrap(node);
  const p = memberPath(n);
  if (p) return p.join('.');
  if (n.type === AST_NODE_TYPES.CallExpression) return shortText(n);
  if (n.type === AST_NODE_TYPES.TemplateLiteral) return '`…`';
  return '…';
}

// ───────────────────────────── control flow ─────────────────────────────

/** Does this statement (or block) always leave the function? */
export function exits(node: TSESTree.Node | null | undefined): boolean {
  if (!node) return false;
  switch (node.type) {
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.ThrowStatement:
      return true;
    case AST_NODE_TYPES.BlockStatement:
      return node.body.some((s) => exits(s));
    case AST_NODE_TYPES.IfStatement:
      return exits(node.consequent) && exits(node.alternate);
    case AST_NODE_TYPES.TryStatement:
      return (exits(node.block) && (!node.handler || exits(node.handler.body))) || exits(node.finalizer);
    case AST_NODE_TYPES.ExpressionStatement: {
      const e = unwrap(node.expression);
      if (e.type === AST_NODE_TYPES.CallExpression) {
        const p = calleePath(e);
        return !!p && (p.join('.') === 'Deno.exit' || p.join('.') === 'process.exit');
      }
      return false;
    }
    default:
      return false;
  }
}

function exitKind(node: TSESTree.Node): 'return' | 'throw' {
  let hasReturn = false;
  walk(node, (n) => {
    if (isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.ReturnStatement) hasReturn = true;
    return true;
  });
  return hasReturn ? 'return' : 'throw';
}

/**
 * Is `target` reached only after `stop` completed, in the same function? True when `target`
 * sits in a later statement of a block that (transitively) holds `stop`, climbing only
 * through constructs that run unconditionally; a throw climbs out of a try only when
 * its catch also leaves the function.
 */
export function dominates(stop: TSESTree.Node, exit: 'return' | 'throw', target: TSESTree.Node, fn: FunctionNode): boolean {
  let cur: TSESTree.Node = stop;
  while (cur !== fn) {
    const p: TSESTree.Node | undefined = cur.parent;
    if (!p) return false;
    const list =
      p.type === AST_NODE_TYPES.BlockStatement || p.type === AST_NODE_TYPES.Program
        ? (p.body as TSESTree.Node[])
        : p.type === AST_NODE_TYPES.SwitchCase
          ? (p.consequent as TSESTree.Node[])
          : null;
    if (list) {
      const i = list.indexOf(cur);
      for (let j = i + 1; j < list.length; j++) if (contains(list[j], target)) return true;
      if (p.type === AST_NODE_TYPES.SwitchCase) return false;
    }
    if (p === fn || runsConditionally(p, cur, exit)) return false;
    cur = p;
  }
  return false;
}

/**
 * True when `cur` runs on only some paths through its parent `p` (a branch, a loop body, the
 * right of `&&`/`||`, a catch, a nested function, or a try whose catch swallows a throw): an
 * exit there does not end the enclosing function.
 */
function runsConditionally(p: TSESTree.Node, cur: TSESTree.Node, exit: 'return' | 'throw'): boolean {
  if (isFunction(p) || p.type === AST_NODE_TYPES.CatchClause) return true;
  if (p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression) return cur !== p.test;
  if (p.type === AST_NODE_TYPES.LogicalExpression) return cur === p.right;
  if (
    p.type === AST_NODE_TYPES.ForStatement ||
    p.type === AST_NODE_TYPES.ForInStatement ||
    p.type === AST_NODE_TYPES.ForOfStatement ||
    p.type === AST_NODE_TYPES.WhileStatement ||
    p.type === AST_NODE_TYPES.DoWhileStatement
  ) {
    return cur === p.body;
  }
  if (p.type === AST_NODE_TYPES.TryStatement) {
    return cur !== p.block || (exit === 'throw' && !!p.handler && !exits(p.handler.body));
  }
  return false;
}

/** True when `stop` completes at the function's top level: passing it means the function went on. */
export function reachesTop(stop: TSESTree.Node, exit: 'return' | 'throw', fn: FunctionNode): boolean {
  let cur: TSESTree.Node = stop;
  while (cur !== fn.body) {
    const p: TSESTree.Node | undefined = cur.parent;
    if (!p || p.type === AST_NODE_TYPES.SwitchCase || runsConditionally(p, cur, exit)) return false;
    cur = p;
  }
  return true;
}

export function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

function swallowingCatch(node: TSESTree.Node, fn: FunctionNode): TSESTree.CatchClause | null {
  let cur: TSESTree.Node = node;
  while (cur !== fn) {
    const p: TSESTree.Node | undefined = cur.parent;
    if (!p || isFunction(p)) return null;
    if (p.type === AST_NODE_TYPES.TryStatement && cur === p.block && p.handler) {
      return exits(p.handler.body) ? null : p.handler;
    }
    cur = p;
  }
  return null;
}

/** Is a risky call covered by a try/catch, a `.catch()`, or run in the background? */
export function isProtected(node: TSESTree.Node, fn: FunctionNode): boolean {
  let cur: TSESTree.Node = node;
  while (cur !== fn) {
    const p: TSESTree.Node | undefined = cur.parent;
    if (!p) return false;
    if (p.type === AST_NODE_TYPES.TryStatement && cur === p.block && p.handler) return true;
    if (p.type === AST_NODE_TYPES.MemberExpression && p.object === cur) {
      const name = propertyName(p);
      const call = p.parent;
      if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === p) {
        if (name === 'catch') return true;
        if (name === 'then' && call.arguments.length >= 2) return true;
      }
    }
    if (p.type === AST_NODE_TYPES.CallExpression && p.arguments.includes(cur as TSESTree.CallExpressionArgument)) {
      const path = calleePath(p);
      const last = path?.[path.length - 1];
      if (last === 'waitUntil' || last === 'allSettled' || last === 'setTimeout' || last === 'queueMicrotask') return true;
    }
    cur = p;
  }
  return false;
}

type ValueUse =
  | { kind: 'test'; test: { test: TSESTree.Node; owner: TSESTree.Node } }
  | { kind: 'bound'; names: string[] }
  | { kind: 'returned' }
  | { kind: 'ignored' }
  | { kind: 'other' };

/** Where a verification's value goes: straight into a test, into variables, returned, or dropped. */
function valueUse(node: TSESTree.Node, fn: FunctionNode): ValueUse {
  let cur: TSESTree.Node = node;
  for (;;) {
    const p: TSESTree.Node | undefined = cur.parent;
    if (!p || p === fn) return { kind: 'other' };
    switch (p.type) {
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.UnaryExpression:
      case AST_NODE_TYPES.LogicalExpression:
      case AST_NODE_TYPES.BinaryExpression:
        cur = p;
        continue;
      case AST_NODE_TYPES.MemberExpression:
        if (p.object === cur) {
          cur = p;
          continue;
        }
        return { kind: 'other' };
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
      case AST_NODE_TYPES.WhileStatement:
        if (p.test === cur) return { kind: 'test', test: { test: cur, owner: p } };
        if (p.type === AST_NODE_TYPES.ConditionalExpression) {
          cur = p;
          continue;
        }
        return { kind: 'other' };
      case AST_NODE_TYPES.VariableDeclarator:
        return p.init === cur ? { kind: 'bound', names: patternNames(p.id) } : { kind: 'other' };
      case AST_NODE_TYPES.AssignmentExpression:
        return p.right === cur ? { kind: 'bound', names: patternNames(p.left) } : { kind: 'other' };
      case AST_NODE_TYPES.ReturnStatement:
        return { kind: 'returned' };
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return p.body === cur ? { kind: 'returned' } : { kind: 'other' };
      case AST_NODE_TYPES.ExpressionStatement:
        return { kind: 'ignored' };
      case AST_NODE_TYPES.ThrowStatement:
        return { kind: 'other' };
      default:
        return { kind: 'other' };
    }
  }
}

function patternNames(node: TSESTree.Node): string[] {
  const out: string[] = [];
  walk(node, (n) => {
    if (n.type === AST_NODE_TYPES.Identifier && !(n.parent?.type === AST_NODE_TYPES.Property && n.parent.key === n && n.parent.value !== n)) out.push(n.name);
    if (n.type === AST_NODE_TYPES.MemberExpression) {
      const p = memberPath(n);
      if (p) out.push(p[p.length - 1]);
      return false;
    }
    return true;
  });
  return out;
}

/** Tests (`if`, `?:`, `&&` left side) in `fn` after `from` that read one of `names` (following one level of aliasing). */
function findTests(fn: FunctionNode, names: string[], from: number): Array<{ test: TSESTree.Node; owner: TSESTree.Node }> {
  const tracked = new Set(names);
  // Aliases: `const user = data.user`, `const ok = valid && x`.
  walkTypes(fn.body, DECLARATOR, (n) => {
    if (n.type === AST_NODE_TYPES.VariableDeclarator && n.init && n.range[0] > from && referencesAny(n.init, tracked)) {
      for (const name of patternNames(n.id)) tracked.add(name);
    }
    return true;
  });
  const tests: Array<{ test: TSESTree.Node; owner: TSESTree.Node }> = [];
  walkTypes(fn.body, TEST_TYPES, (n) => {
    if (n.range[1] < from) return true;
    if ((n.type === AST_NODE_TYPES.IfStatement || n.type === AST_NODE_TYPES.ConditionalExpression) && n.range[0] >= from && referencesAny(n.test, tracked)) {
      tests.push({ test: n.test, owner: n });
    }
    if (n.type === AST_NODE_TYPES.LogicalExpression && n.operator === '&&' && n.range[0] >= from && referencesAny(n.left, tracked)) {
      tests.push({ test: n.left, owner: n });
    }
    return true;
  });
  return tests;
}

const SUCCESS_NAME = /^(ok|valid|isValid|verified|isVerified|authorized|isAuthorized|autorizado|valido|válido|valida|assinaturaValida|signatureValid|isSignatureValid|trusted)$/i;
const FAILURE_NAME = /(err|invalid|fail|unauth|denied|forbidden|reject|problem|mismatch)/i;

/** Reads one test of a verification value: does a branch leave on failure, which branches are guarded? */
function analyseTest(
  test: TSESTree.Node,
  owner: TSESTree.Node,
  names: string[] | null,
  verifyNode: TSESTree.Node,
): { stop: { node: TSESTree.Node; exit: 'return' | 'throw' } | null; guards: TSESTree.Node[]; failureWithoutExit: boolean } {
  const polarity = testPolarity(test, names, verifyNode);
  const guards: TSESTree.Node[] = [];
  if (owner.type === AST_NODE_TYPES.LogicalExpression) {
    return { stop: null, guards: [owner.right], failureWithoutExit: false };
  }
  if (owner.type === AST_NODE_TYPES.ConditionalExpression) {
    if (polarity === 'failure') guards.push(owner.alternate);
    else guards.push(owner.consequent);
    return { stop: null, guards, failureWithoutExit: false };
  }
  if (owner.type === AST_NODE_TYPES.IfStatement) {
    const consExits = exits(owner.consequent);
    const altExits = exits(owner.alternate);
    if (polarity === 'failure') {
      if (consExits) return { stop: { node: owner, exit: exitKind(owner.consequent) }, guards, failureWithoutExit: false };
      if (owner.alternate) guards.push(owner.alternate);
      return { stop: null, guards, failureWithoutExit: !owner.alternate };
    }
    if (polarity === 'success') {
      guards.push(owner.consequent);
      if (altExits && owner.alternate) return { stop: { node: owner, exit: exitKind(owner.alternate) }, guards, failureWithoutExit: false };
      return { stop: null, guards, failureWithoutExit: false };
    }
    // Unknown polarity: whichever way it reads, the consequent is guarded and an exit stops.
    guards.push(owner.consequent);
    if (consExits) return { stop: { node: owner, exit: exitKind(owner.consequent) }, guards, failureWithoutExit: false };
    if (altExits && owner.alternate) return { stop: { node: owner, exit: exitKind(owner.alternate) }, guards, failureWithoutExit: false };
    return { stop: null, guards, failureWithoutExit: false };
  }
  return { stop: null, guards, failureWithoutExit: false };
}

/** 'failure' when the test is true on a failed verification (`!valid`, `error`, `!user`), 'success' when on a passed one. */
function testPolarity(test: TSESTree.Node, names: string[] | null, verifyNode: TSESTree.Node): 'failure' | 'success' | 'unknown' {
  // Find the reference: the verification call itself, or the first tracked name.
  const found: { ref: TSESTree.Node | null } = { ref: null };
  walk(test, (n) => {
    if (found.ref) return false;
    if (n === verifyNode) found.ref = n;
    else if (names && n.type === AST_NODE_TYPES.Identifier && names.includes(n.name)) found.ref = n;
    return true;
  });
  const ref = found.ref;
  if (!ref) return 'unknown';
  let negations = 0;
  let errorish = false;
  let cur: TSESTree.Node = ref;
  if (ref.type === AST_NODE_TYPES.Identifier && FAILURE_NAME.test(ref.name)) errorish = true;
  while (cur !== test) {
    const p: TSESTree.Node | undefined = cur.parent;
    if (!p) break;
    if (p.type === AST_NODE_TYPES.UnaryExpression && p.operator === '!') negations++;
    if (p.type === AST_NODE_TYPES.MemberExpression && p.object === cur) {
      const name = propertyName(p);
      if (name && FAILURE_NAME.test(name)) errorish = true;
      if (name === 'ok' || name === 'valid' || name === 'success' || name === 'user' || name === 'claims' || name === 'data') errorish = false;
    }
    if (p.type === AST_NODE_TYPES.BinaryExpression) {
      const other = p.left === cur ? p.right : p.left;
      const o = unwrap(other as TSESTree.Node);
      if (p.operator === 'instanceof') errorish = true;
      else if (o.type === AST_NODE_TYPES.Literal && (o.value === false || o.value === null)) {
        if (p.operator === '===' || p.operator === '==') negations++;
      } else if (o.type === AST_NODE_TYPES.Literal && o.value === true) {
        if (p.operator === '!==' || p.operator === '!=') negations++;
      } else if (o.type === AST_NODE_TYPES.Identifier && o.name === 'undefined') {
        if (p.operator === '===' || p.operator === '==') negations++;
      }
    }
    cur = p;
  }
  if (!errorish && negations === 0 && ref.type === AST_NODE_TYPES.Identifier && SUCCESS_NAME.test(ref.name)) return 'success';
  const failure = errorish ? negations % 2 === 0 : negations % 2 === 1;
  if (failure) return 'failure';
  return errorish || negations > 0 ? 'success' : 'unknown';
}

/** `let isAuthorized = false`, `let userId: string | null = null`, `let user;`: a flag only verification can set. */
function startsEmpty(fn: FunctionNode, name: string): boolean {
  let result = false;
  walk(fn.body, (n) => {
    if (n.type === AST_NODE_TYPES.VariableDeclarator && n.id.type === AST_NODE_TYPES.Identifier && n.id.name === name) {
      const init = n.init ? unwrap(n.init) : null;
      result =
        !init ||
        (init.type === AST_NODE_TYPES.Literal && (init.value === false || init.value === null || init.value === '')) ||
        (init.type === AST_NODE_TYPES.Identifier && init.name === 'undefined');
      return false;
    }
    return true;
  });
  return result;
}

/** Variables assigned (not declared) inside some subtrees: flags like `isAuthorized = true`. */
function assignedNames(nodes: TSESTree.Node[]): string[] {
  const out = new Set<string>();
  for (const root of nodes) {
    walk(root, (n) => {
      if (isFunction(n)) return false;
      if (n.type === AST_NODE_TYPES.AssignmentExpression && n.left.type === AST_NODE_TYPES.Identifier) out.add(n.left.name);
      return true;
    });
  }
  return [...out];
}

function referencedAfter(fn: FunctionNode, name: string, from: number): boolean {
  let found = false;
  walk(fn.body, (n) => {
    if (found) return false;
    if (n.type === AST_NODE_TYPES.Identifier && n.name === name && n.range[0] > from) {
      const p = n.parent;
      if (!(p?.type === AST_NODE_TYPES.Property && p.key === n && !p.shorthand) && !(p?.type === AST_NODE_TYPES.MemberExpression && p.property === n && !p.computed)) found = true;
    }
    return true;
  });
  return found;
}

function returnedName(fn: FunctionNode, name: string): boolean {
  let found = false;
  walkTypes(fn.body, RETURN_TYPES, (n) => {
    if (n !== fn.body && isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.ReturnStatement && n.argument && referencesAny(n.argument, new Set([name]))) {
      found = true;
      return STOP_WALK;
    }
    return true;
  });
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement && referencesAny(fn.body, new Set([name]))) found = true;
  return found;
}

/** `if (secret) { verify }` / `if (sig && secret && sig !== secret)`: verification skipped when the secret or signature is missing. */
function skippedUnlessSecret(node: TSESTree.Node, fn: FunctionNode): TSESTree.Node | null {
  // `if (secret && timingSafeEqual(a, secret)) return true; … return false`: skipping it refuses, which is closed.
  if (directTestPolarity(node) === 'success') return null;
  let cur: TSESTree.Node = node;
  while (cur !== fn) {
    const p: TSESTree.Node | undefined = cur.parent;
    if (!p || isFunction(p)) return null;
    if (p.type === AST_NODE_TYPES.LogicalExpression && p.operator === '&&' && cur === p.right && truthinessOfSecret(p.left) === 'present') {
      // `if (secret && sig !== secret) return 401` — when the secret is unset the test is false and the handler goes on.
      const owner = p.parent;
      if (owner?.type === AST_NODE_TYPES.IfStatement && owner.test === p && exits(owner.consequent)) return p.left;
    }
    if (p.type === AST_NODE_TYPES.IfStatement && cur !== p.test) {
      const t = truthinessOfSecret(p.test);
      const inConsequent = cur === p.consequent;
      const otherBranch = inConsequent ? p.alternate : p.consequent;
      if (((t === 'present' && inConsequent) || (t === 'absent' && !inConsequent)) && !exits(otherBranch) && !nextStatementExits(p)) return p.test;
    }
    cur = p;
  }
  return null;
}

/** Polarity of a verification written straight into an `if` test: `!==`/`!ok(…)` → failure, `===`/`ok(…)` → success. */
function directTestPolarity(node: TSESTree.Node): 'success' | 'failure' | null {
  let negations = 0;
  if (node.type === AST_NODE_TYPES.BinaryExpression && (node.operator === '!==' || node.operator === '!=')) negations++;
  let cur: TSESTree.Node = node;
  for (;;) {
    const p: TSESTree.Node | undefined = cur.parent;
    if (!p) return null;
    if (p.type === AST_NODE_TYPES.UnaryExpression && p.operator === '!') negations++;
    else if (p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression) {
      return p.test === cur ? (negations % 2 === 0 ? 'success' : 'failure') : null;
    } else if (
      p.type !== AST_NODE_TYPES.AwaitExpression &&
      p.type !== AST_NODE_TYPES.LogicalExpression &&
      p.type !== AST_NODE_TYPES.ChainExpression &&
      p.type !== AST_NODE_TYPES.TSNonNullExpression
    ) {
      return null;
    }
    cur = p;
  }
}

/** The statement after `stmt` refuses the request: a throw, or a return of a 4xx/5xx response. */
function nextStatementExits(stmt: TSESTree.Node): boolean {
  const p = stmt.parent;
  if (p?.type !== AST_NODE_TYPES.BlockStatement) return false;
  const next = p.body[p.body.indexOf(stmt as TSESTree.Statement) + 1];
  if (!next) return false;
  if (next.type === AST_NODE_TYPES.ThrowStatement) return true;
  if (next.type === AST_NODE_TYPES.ReturnStatement && next.argument) {
    const v = unwrap(next.argument);
    if (v.type === AST_NODE_TYPES.Literal && (v.value === false || v.value === null)) return true;
    const status = describeResponse(next.argument)?.status;
    return typeof status === 'number' && status >= 400;
  }
  return false;
}

/** 'present' for `secret`, `secret && sig`; 'absent' for `!secret`; null when the test is not about a secret's presence. */
function truthinessOfSecret(test: TSESTree.Node): 'present' | 'absent' | null {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.LogicalExpression && t.operator === '&&') {
    return truthinessOfSecret(t.left) === 'present' || truthinessOfSecret(t.right) === 'present' ? 'present' : null;
  }
  if (t.type === AST_NODE_TYPES.LogicalExpression && t.operator === '||') {
    return truthinessOfSecret(t.left) === 'absent' || truthinessOfSecret(t.right) === 'absent' ? 'absent' : null;
  }
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') {
    const inner = truthinessOfSecret(t.argument);
    return inner === 'present' ? 'absent' : inner === 'absent' ? 'present' : null;
  }
  if (t.type === AST_NODE_TYPES.Identifier || t.type === AST_NODE_TYPES.MemberExpression || t.type === AST_NODE_TYPES.CallExpression) {
    return isSecretish(t) ? 'present' : null;
  }
  return null;
}

function isCovered(f: Exposure, outcomes: VerifyOutcome[], fn: FunctionNode): boolean {
  // Error paths: a catch whose try verifies first (`catch (e) { if (runId) await admin.from('runs').update(…) }`).
  const handlerClause = enclosingCatch(f.node, fn);
  if (handlerClause && outcomes.some((o) => !o.notEnforced && o.stops.length > 0 && contains(handlerClause.parent.block, o.fact.node))) return true;
  for (const o of outcomes) {
    if (o.notEnforced || o.skippedUnless) {
      // A verification that does not stop (or is skipped) still counts here: its own finding says what is wrong.
      if (o.fact.node.range[0] <= f.node.range[0] || (f.kind === 'read' && f.mode === 'raw')) return true;
      continue;
    }
    if (o.guards.some((g) => contains(g, f.node))) return true;
    if (o.stops.some((s) => dominates(s.node, s.exit, f.node, fn))) return true;
    const enforced = o.stops.length > 0 || o.guards.length > 0 || o.returned;
    // The raw body is read first and checked afterwards: `const raw = await req.text(); verify(raw, sig)`.
    if (enforced && f.kind === 'read' && f.mode === 'raw' && o.fact.node.range[1] >= f.node.range[1]) return true;
    // `insecure` compares and throwing verifications that wrap the read: `constructEventAsync(await req.text(), …)`.
    if (enforced && contains(o.fact.node, f.node) && f.kind === 'read' && f.mode === 'raw') return true;
  }
  return false;
}

function enclosingCatch(node: TSESTree.Node, fn: FunctionNode): TSESTree.CatchClause | null {
  let cur: TSESTree.Node | undefined = node.parent;
  while (cur && cur !== fn) {
    if (cur.type === AST_NODE_TYPES.CatchClause) return cur;
    cur = cur.parent;
  }
  return null;
}

// ───────────────────────────── handler summaries, shared by rules ─────────────────────────────

/** A fresh analysis after summarizing a file's handlers, in discovery order, and nothing else. */
export interface HandlerPhase {
  /** Each handler's summary. */
  summaries: Map<Handler, FunctionSummary>;
  /** `analysis.summaries()` right after the handlers: the handlers and the helpers they reach. */
  reached: FunctionSummary[];
}

interface PhaseEntry extends HandlerPhase {
  scope: ModuleScope;
  handlers: readonly Handler[];
  analysis: VerificationAnalysis;
  /** A rule has taken the analysis to summarize more functions with it: it no longer is the handler phase. */
  taken: boolean;
}

const handlerPhases = new WeakMap<TSESTree.Program, Map<string, PhaseEntry>>();

function optionsKey(options: AnalysisOptions): string {
  const norm = (names: string[] | undefined) => [...new Set(names ?? [])].sort();
  return JSON.stringify([norm(options.verifiers), norm(options.timingSafe)]);
}

/**
 * The handler summaries of a file (require-webhook-verification and require-error-handling
 * both start with them). The first rule to ask computes them with a fresh analysis; later
 * ones with the same options get the same result, as if they had run that analysis
 * themselves. `take`: the caller gets the analysis itself, to summarize more functions with
 * it (once per file and options; a second taker gets a fresh one, recomputed).
 */
export function summarizeHandlers(
  program: TSESTree.Program,
  scope: ModuleScope,
  handlers: readonly Handler[],
  options: AnalysisOptions,
  take: boolean,
): HandlerPhase & { analysis: VerificationAnalysis | null } {
  const key = optionsKey(options);
  let byOptions = handlerPhases.get(program);
  const cached = byOptions?.get(key);
  if (cached && cached.scope === scope && cached.handlers === handlers && !(take && cached.taken)) {
    if (take) cached.taken = true;
    return { summaries: cached.summaries, reached: cached.reached, analysis: take ? cached.analysis : null };
  }
  const analysis = new VerificationAnalysis(options);
  const summaries = new Map<Handler, FunctionSummary>();
  for (const handler of handlers) summaries.set(handler, analysis.summarize(handler.fn, scope, handlerRoles(handler)));
  const entry: PhaseEntry = { scope, handlers, analysis, summaries, reached: analysis.summaries(), taken: take };
  if (!cached) {
    if (!byOptions) handlerPhases.set(program, (byOptions = new Map()));
    byOptions.set(key, entry);
  }
  return { summaries, reached: entry.reached, analysis: take ? analysis : null };
}

function summarizeVerifies(outcomes: VerifyOutcome[], fn: FunctionNode): VerifyKind | null {
  if (outcomes.length === 0) return null;
  if (outcomes.some((o) => o.stops.some((s) => s.exit === 'throw' && reachesTop(s.node, 'throw', fn)))) return 'throws';
  if (outcomes.some((o) => o.returned)) return 'value';
  if (outcomes.some((o) => o.stops.length > 0 || o.guards.length > 0)) return 'response';
  if (outcomes.some((o) => o.fact.vkind === 'unknown')) return 'unknown';
  return null;
}

// ───────────────────────────── fail-open secrets ─────────────────────────────

export interface FailOpenSecret {
  /** The `?? ''` / `|| ''` expression. */
  node: TSESTree.LogicalExpression;
  envName: string;
}

/**
 * `Deno.env.get('WEBHOOK_SECRET') ?? ''` used as a verification secret: when the variable
 * is unset, the secret is empty and anyone can sign (or match) it. Not reported when the
 * file checks `if (!secret) return/throw` first.
 */
export function findFailOpenSecrets(program: TSESTree.Program, consumers: TSESTree.Node[]): FailOpenSecret[] {
  const out: FailOpenSecret[] = [];
  const candidates: Array<{ node: TSESTree.LogicalExpression; envName: string; name: string | null }> = [];
  walkTypes(program, LOGICAL, (n) => {
    if (n.type === AST_NODE_TYPES.LogicalExpression && (n.operator === '??' || n.operator === '||')) {
      const env = envVarName(n.left);
      const right = stringValue(unwrap(n.right));
      if (env && right === '' && SECRETISH.test(env) && !PUBLIC_ENV.test(env)) {
        const decl = n.parent;
        const name = decl?.type === AST_NODE_TYPES.VariableDeclarator && decl.id.type === AST_NODE_TYPES.Identifier ? decl.id.name : null;
        candidates.push({ node: n, envName: env, name });
      }
    }
    return true;
  });
  if (candidates.length === 0) return out;
  for (const c of candidates) {
    const inline = consumers.some((k) => contains(k, c.node));
    let used = inline;
    if (!used && c.name) {
      // Follow a few hops of derived keys: `const key = await crypto.subtle.importKey(…secret…)`, `` `Bearer ${secret}` ``.
      const names = new Set([c.name]);
      for (let hop = 0; hop < 3; hop++) {
        walkTypes(program, DECLARATOR, (n) => {
          if (n.type === AST_NODE_TYPES.VariableDeclarator && n.id.type === AST_NODE_TYPES.Identifier && n.init && isDerivation(n.init) && referencesAny(n.init, names)) {
            names.add(n.id.name);
          }
          return true;
        });
      }
      used = consumers.some((k) => referencesAny(k, names) && !truthyGuarded(k, names));
      if (used && guardedAgainstEmpty(program, c.name)) used = false;
    }
    if (used) out.push({ node: c.node, envName: c.envName });
  }
  return out;
}

/** A value derived from a secret that still is the secret: templates, encodings, imported keys. */
function isDerivation(init: TSESTree.Node): boolean {
  const n = unwrap(init);
  if (n.type === AST_NODE_TYPES.TemplateLiteral) return true;
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const p = calleePath(n);
    const last = p?.[p.length - 1] ?? (n.callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(n.callee) : null);
    return !!last && /^(encode|from|importKey|createHmac|trim)$/.test(last);
  }
  return false;
}

/** `secret && sig === secret`, `if (secret) { … }`: the consumer runs only when the secret is set. */
function truthyGuarded(consumer: TSESTree.Node, names: Set<string>): boolean {
  let cur: TSESTree.Node = consumer;
  for (;;) {
    const p: TSESTree.Node | undefined = cur.parent;
    if (!p) return false;
    if (p.type === AST_NODE_TYPES.LogicalExpression && p.operator === '&&' && cur === p.right && referencesAny(p.left, names)) return true;
    if (p.type === AST_NODE_TYPES.IfStatement && cur === p.consequent && referencesAny(p.test, names)) return true;
    cur = p;
  }
}

function guardedAgainstEmpty(program: TSESTree.Program, name: string): boolean {
  let guarded = false;
  walkTypes(program, IF_STATEMENT, (n) => {
    if (n.type === AST_NODE_TYPES.IfStatement && exits(n.consequent) && truthinessOf(n.test, name) === 'absent') {
      guarded = true;
      return STOP_WALK;
    }
    return true;
  });
  return guarded;
}

function truthinessOf(test: TSESTree.Node, name: string): 'present' | 'absent' | null {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.LogicalExpression && t.operator === '||') return truthinessOf(t.left, name) ?? truthinessOf(t.right, name);
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') {
    const a = unwrap(t.argument);
    if (a.type === AST_NODE_TYPES.Identifier && a.name === name) return 'absent';
    if (a.type === AST_NODE_TYPES.MemberExpression && memberPath(a)?.join('.') === `${name}.length`) return 'absent';
  }
  if (t.type === AST_NODE_TYPES.BinaryExpression && (t.operator === '===' || t.operator === '==')) {
    const l = unwrap(t.left as TSESTree.Node);
    const r = unwrap(t.right as TSESTree.Node);
    const side = l.type === AST_NODE_TYPES.Identifier && l.name === name ? r : r.type === AST_NODE_TYPES.Identifier && r.name === name ? l : null;
    if (side && (stringValue(side) === '' || (side.type === AST_NODE_TYPES.Identifier && side.name === 'undefined'))) return 'absent';
  }
  return null;
}

/** Nodes that consume a secret: verification calls, key imports, HMAC constructors, Webhook constructors. */
export function secretConsumers(program: TSESTree.Program, verifyNodes: TSESTree.Node[]): TSESTree.Node[] {
  const out = [...verifyNodes];
  walkTypes(program, CONSUMER_TYPES, (n) => {
    if (n.type === AST_NODE_TYPES.CallExpression) {
      const p = calleePath(n);
      const last = p?.[p.length - 1];
      const joined = p?.join('.') ?? '';
      if (last && /^(importKey|createHmac|hmac|constructEventAsync|constructEvent|bearerAuth|jwtVerify)$/.test(last)) out.push(n);
      if (/(^|\.)subtle\.(sign|verify)$/.test(joined)) out.push(n);
    }
    if (n.type === AST_NODE_TYPES.NewExpression) {
      const p = memberPath(n.callee);
      if (p && /webhook|svix|hmac/i.test(p[p.length - 1])) out.push(n);
    }
    return true;
  });
  return out;
}

// ───────────────────────────── Hono middleware ─────────────────────────────

/** Middleware arguments that authenticate by convention: `bearerAuth(...)`, `jwt(...)`, `verifySignature`. */
export function isAuthMiddlewareArgument(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const p = calleePath(n);
    const last = p?.[p.length - 1];
    return !!last && (HONO_AUTH_MIDDLEWARE.test(last) || (VERIFIER_NAME.test(last) && VERIFIER_HINT.test(last)) || /auth|verif/i.test(last));
  }
  if (n.type === AST_NODE_TYPES.Identifier) return /auth|verif|signature|guard|protect|requireUser|jwt/i.test(n.name);
  return false;
}
