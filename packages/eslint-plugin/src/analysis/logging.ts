import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleePath, isFunction, memberPath, propertyName, stringValue, unwrap, walk, walkTypes, type FunctionNode } from './ast.js';
import type { Handler } from './handlers.js';
import type { QueryChain } from './supabase-clients.js';
import { propertyKey, resolveBinding } from './tenant.js';

/*
 * What a handler leaves in the logs: which calls log and at what level, whether a log call
 * carries the tenant id and a timestamp, what the handler changes or calls (and so must log on
 * success), and how each `catch` treats its error.
 */

export interface LoggingOptions {
  /** Logger objects checked like `console` (`logger.info`, `log.error`). */
  loggers: string[];
  /** Loggers that stamp the time themselves: their calls carry a timestamp without a field. */
  timestampedLoggers: string[];
  /** Field names that hold a timestamp. */
  timestampFields: string[];
  /** Field names that hold the tenant id. */
  tenantFields: string[];
}

export type LogLevel = 'info' | 'log' | 'debug' | 'warn' | 'error';

export interface LogCall {
  call: TSESTree.CallExpression;
  /** `console.info`, `logger.error`, or the local helper's name. */
  label: string;
  level: LogLevel;
  tenant: boolean;
  timestamp: boolean;
  /** Arguments, as far as they can be seen (the helper's own log arguments are merged in). */
  args: TSESTree.Node[];
}

const LEVELS: Record<string, LogLevel> = {
  info: 'info',
  log: 'log',
  debug: 'debug',
  trace: 'debug',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'error',
  critical: 'error',
};

/**
 * Calls that hand an error to a logger or an error tracker we cannot see into (imported
 * helpers): `logError(err)`, `logAndSanitize('fn', e)`, `Sentry.captureException(err)`, `handleError(e)`.
 */
const ERROR_REPORTERS = /^(log|report|capture|track|notify|record|sentry)|(Log|Logger|Error)$|^handle\w*Error/;

export interface LogHelper {
  level: LogLevel;
  tenant: boolean;
  timestamp: boolean;
}

/**
 * Local functions that log (`function logEvent(event, data) { console.info(JSON.stringify({ event, ...data, at: … })) }`):
 * a call to them is a log call at their level, carrying what they add plus what the caller passes.
 */
export function findLogHelpers(program: TSESTree.Program, options: LoggingOptions): Map<string, LogHelper> {
  const helpers = new Map<string, LogHelper>();
  const candidates: Array<[string, FunctionNode]> = [];
  for (const stmt of program.body) {
    const decl = stmt.type === AST_NODE_TYPES.ExportNamedDeclaration && stmt.declaration ? stmt.declaration : stmt;
    if (decl.type === AST_NODE_TYPES.FunctionDeclaration && decl.id) candidates.push([decl.id.name, decl]);
    if (decl.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const d of decl.declarations) {
        if (d.id.type === AST_NODE_TYPES.Identifier && d.init && isFunction(unwrap(d.init))) candidates.push([d.id.name, unwrap(d.init) as FunctionNode]);
      }
    }
  }
  for (const [name, fn] of candidates) {
    const params = new Set(fn.params.flatMap((p) => paramNames(p)));
    let best: LogHelper | null = null;
    walk(fn.body, (n) => {
      if (n !== fn.body && isFunction(n)) return false;
      if (n.type !== AST_NODE_TYPES.CallExpression) return true;
      const direct = directLogCall(n, options);
      if (!direct) return true;
      // The helper forwards what it was given only when a parameter reaches the log call.
      if (!references(n.arguments, params)) return true;
      const fields = carriedFields(n.arguments, options);
      const helper: LogHelper = { level: direct.level, tenant: fields.tenant, timestamp: fields.timestamp || direct.stamped };
      if (!best || rank(helper) > rank(best)) best = helper;
      return true;
    });
    if (best) helpers.set(name, best);
  }
  return helpers;
}

function rank(h: LogHelper): number {
  return (h.level === 'error' ? 4 : h.level === 'info' ? 2 : 0) + (h.tenant ? 1 : 0) + (h.timestamp ? 1 : 0);
}

function paramNames(p: TSESTree.Node): string[] {
  const out: string[] = [];
  walk(p, (n) => {
    if (n.type === AST_NODE_TYPES.Identifier) out.push(n.name);
  });
  return out;
}

function references(nodes: TSESTree.Node[], names: Set<string>): boolean {
  let found = false;
  for (const node of nodes) {
    walk(node, (n, parent) => {
      if (found) return false;
      if (n.type === AST_NODE_TYPES.Identifier && names.has(n.name)) {
        // Skip property keys (`{ err: 1 }`) and member properties (`x.err`).
        const isKey = parent?.type === AST_NODE_TYPES.Property && parent.key === n && !parent.shorthand && !parent.computed;
        const isMemberProp = parent?.type === AST_NODE_TYPES.MemberExpression && parent.property === n && !parent.computed;
        if (!isKey && !isMemberProp) found = true;
      }
      return true;
    });
  }
  return found;
}

function directLogCall(call: TSESTree.CallExpression, options: LoggingOptions): { label: string; level: LogLevel; stamped: boolean } | null {
  const path = calleePath(call);
  if (!path || path.length < 2) return null;
  const method = path[path.length - 1];
  const object = path.slice(0, -1).join('.');
  const level = LEVELS[method];
  if (!level) return null;
  if (object === 'console') return { label: `console.${method}`, level, stamped: false };
  const base = path[path.length - 2];
  if (options.loggers.includes(object) || options.loggers.includes(base)) {
    return { label: `${object}.${method}`, level, stamped: options.timestampedLoggers.includes(object) || options.timestampedLoggers.includes(base) };
  }
  return null;
}

/** A log call (console, a configured logger, or a local helper that logs), or null. */
export function logCallOf(call: TSESTree.CallExpression, options: LoggingOptions, helpers: Map<string, LogHelper>): LogCall | null {
  const direct = directLogCall(call, options);
  if (direct) {
    const fields = carriedFields(call.arguments, options);
    return { call, label: direct.label, level: direct.level, tenant: fields.tenant, timestamp: fields.timestamp || direct.stamped, args: call.arguments };
  }
  if (call.callee.type === AST_NODE_TYPES.Identifier && helpers.has(call.callee.name)) {
    const helper = helpers.get(call.callee.name)!;
    const fields = carriedFields(call.arguments, options);
    return {
      call,
      label: call.callee.name,
      level: helper.level,
      tenant: helper.tenant || fields.tenant,
      timestamp: helper.timestamp || fields.timestamp,
      args: call.arguments,
    };
  }
  return null;
}

/** Whether log arguments carry (as object fields) the tenant id and a timestamp. */
export function carriedFields(args: TSESTree.Node[], options: LoggingOptions): { tenant: boolean; timestamp: boolean } {
  const result = { tenant: false, timestamp: false };
  const seen = new Set<TSESTree.Node>();
  const visitObject = (node: TSESTree.Node, depth: number) => {
    if (depth > 6) return;
    const n = unwrap(node);
    if (seen.has(n)) return;
    seen.add(n);
    if (n.type === AST_NODE_TYPES.ObjectExpression) {
      for (const prop of n.properties) {
        if (prop.type === AST_NODE_TYPES.SpreadElement) {
          visitObject(prop.argument, depth + 1);
          continue;
        }
        const key = propertyKey(prop);
        if (key && options.tenantFields.includes(key)) result.tenant = true;
        if (key && options.timestampFields.includes(key)) result.timestamp = true;
        if (isTimestampValue(prop.value as TSESTree.Node)) result.timestamp = true;
        // One level down: `{ event, context: { clinic_id } }`.
        visitObject(prop.value as TSESTree.Node, depth + 1);
      }
      return;
    }
    if (n.type === AST_NODE_TYPES.CallExpression) {
      const path = calleePath(n)?.join('.');
      if ((path === 'JSON.stringify' || path === 'structuredClone') && n.arguments[0]) visitObject(n.arguments[0], depth + 1);
      return;
    }
    if (n.type === AST_NODE_TYPES.Identifier) {
      const b = resolveBinding(n);
      if (b?.kind === 'var' && b.keys.length === 0 && b.init) visitObject(b.init, depth + 1);
    }
  };
  for (const arg of args) visitObject(arg, 0);
  return result;
}

/** `new Date().toISOString()`, `Date.now()`, `new Date()`, `performance.timeOrigin + …`. */
export function isTimestampValue(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.NewExpression) return n.callee.type === AST_NODE_TYPES.Identifier && n.callee.name === 'Date' && n.arguments.length === 0;
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const path = calleePath(n)?.join('.');
    if (path === 'Date.now') return true;
    if (n.callee.type === AST_NODE_TYPES.MemberExpression && /^(toISOString|toJSON|getTime|toUTCString|valueOf)$/.test(propertyName(n.callee) ?? '')) {
      return isTimestampValue(n.callee.object);
    }
  }
  return false;
}

// ─── What a handler does ───────────────────────────────────────────────────────────────────

export interface ExternalCall {
  call: TSESTree.CallExpression;
  /** `fetch`, `stripe.paymentIntents.create`, `resend.emails.send`. */
  label: string;
}

export interface HandlerActivity {
  /** Functions whose code runs for this handler: the handler, its nested functions, and local functions it calls. */
  reach: FunctionNode[];
  writes: QueryChain[];
  externalCalls: ExternalCall[];
  /** Log calls on the success path (outside `catch` and error branches). */
  successLogs: LogCall[];
  /** Every `catch` clause and `.catch(cb)` callback in reach. */
  catches: CatchSite[];
}

export interface CatchSite {
  /** The `catch (err) {…}` clause, or the `.catch((err) => …)` callback. */
  node: TSESTree.CatchClause | FunctionNode;
  param: TSESTree.Node | null;
  body: TSESTree.Node;
  /** The `try` block it guards (null for a promise's `.catch`, which always guards I/O). */
  guarded: TSESTree.BlockStatement | null;
}

const DECLARATOR = [AST_NODE_TYPES.VariableDeclarator];
const REACH_TYPES = [AST_NODE_TYPES.CallExpression, AST_NODE_TYPES.Identifier];
const ACTIVITY_TYPES = [AST_NODE_TYPES.CatchClause, AST_NODE_TYPES.CallExpression];

/** SDK constructors and factory names whose instances call a remote service. */
const SDK_NAMES = /^(stripe|resend|twilio|openai|anthropic|sendgrid|sgMail|mailgun|postmark|mercadopago|pagarme|asaas|slack|octokit|s3|ses|sns|sqs|pusher|onesignal|firebase|messaging|mp|mailchimp|brevo|zapi|evolution|gemini|groq|mistral|cohere|pinecone|replicate)$/i;
const NON_REMOTE = new Set(['Hono', 'URL', 'URLSearchParams', 'Headers', 'Response', 'Request', 'Date', 'Map', 'Set', 'Error', 'TextEncoder', 'TextDecoder', 'FormData', 'Blob', 'Uint8Array', 'AbortController', 'RegExp', 'Promise', 'WeakMap', 'HTTPException', 'Intl']);
/** Local operations on SDK objects that do not call the service. */
const LOCAL_SDK_PATHS = /(^|\.)(webhooks|webhook|utils|createSubtleCryptoProvider|constructEvent\w*|verify\w*|on|off|once)(\.|$)/;

/** Names bound to SDK instances: `const stripe = new Stripe(key)`, `const resend = new Resend(…)`, `twilio(sid, token)`. */
export function findSdkClients(program: TSESTree.Program): Set<string> {
  const imported = new Map<string, string>();
  for (const stmt of program.body) {
    if (stmt.type !== AST_NODE_TYPES.ImportDeclaration) continue;
    for (const spec of stmt.specifiers) imported.set(spec.local.name, String(stmt.source.value));
  }
  const sdks = new Set<string>();
  walkTypes(program, DECLARATOR, (n) => {
    if (n.type !== AST_NODE_TYPES.VariableDeclarator || n.id.type !== AST_NODE_TYPES.Identifier || !n.init) return;
    const init = unwrap(n.init);
    if (init.type === AST_NODE_TYPES.NewExpression && init.callee.type === AST_NODE_TYPES.Identifier) {
      const ctor = init.callee.name;
      if (NON_REMOTE.has(ctor)) return;
      const source = imported.get(ctor);
      const fromPackage = !!source && !/supabase|hono|deno\.land\/std|jsr:@std|zod|^\.|^node:/.test(source);
      if (fromPackage || SDK_NAMES.test(ctor)) sdks.add(n.id.name);
    }
    if (init.type === AST_NODE_TYPES.CallExpression && init.callee.type === AST_NODE_TYPES.Identifier && SDK_NAMES.test(init.callee.name)) {
      sdks.add(n.id.name);
    }
  });
  return sdks;
}

function externalCallLabel(call: TSESTree.CallExpression, sdks: Set<string>): string | null {
  if (call.callee.type === AST_NODE_TYPES.Identifier && call.callee.name === 'fetch') return 'fetch';
  const path = calleePath(call);
  if (!path) return null;
  if (path.length === 2 && (path[0] === 'globalThis' || path[0] === 'window') && path[1] === 'fetch') return 'fetch';
  if (path.length < 2) return null;
  const root = path[0];
  if (!(sdks.has(root) || SDK_NAMES.test(root))) return null;
  const rest = path.slice(1).join('.');
  if (LOCAL_SDK_PATHS.test(rest)) return null;
  return path.join('.');
}

/** Top-level functions of the module by name. */
function topLevelFunctions(program: TSESTree.Program): Map<string, FunctionNode> {
  const out = new Map<string, FunctionNode>();
  for (const stmt of program.body) {
    const decl = (stmt.type === AST_NODE_TYPES.ExportNamedDeclaration || stmt.type === AST_NODE_TYPES.ExportDefaultDeclaration) && stmt.declaration ? stmt.declaration : stmt;
    if (decl.type === AST_NODE_TYPES.FunctionDeclaration && decl.id) out.set(decl.id.name, decl);
    if (decl.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const d of decl.declarations) {
        if (d.id.type === AST_NODE_TYPES.Identifier && d.init && isFunction(unwrap(d.init))) out.set(d.id.name, unwrap(d.init) as FunctionNode);
      }
    }
  }
  return out;
}

/** The handler and the local functions it calls, transitively. */
export function reachOf(handler: Handler, program: TSESTree.Program): FunctionNode[] {
  const locals = topLevelFunctions(program);
  const reach: FunctionNode[] = [handler.fn];
  for (let i = 0; i < reach.length; i++) {
    walkTypes(reach[i].body, REACH_TYPES, (n) => {
      if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.Identifier) {
        const target = locals.get(n.callee.name);
        if (target && !reach.includes(target)) reach.push(target);
      }
      // Functions passed by name: `items.map(toRow)`, `processEvent` given to a queue.
      if (n.type === AST_NODE_TYPES.Identifier && n.parent?.type === AST_NODE_TYPES.CallExpression && n.parent.arguments.includes(n)) {
        const target = locals.get(n.name);
        if (target && !reach.includes(target)) reach.push(target);
      }
    });
  }
  return reach;
}

function inside(node: TSESTree.Node, fns: FunctionNode[]): boolean {
  return fns.some((fn) => node.range[0] >= fn.range[0] && node.range[1] <= fn.range[1]);
}

/** What a handler writes and calls, what it logs on success, and its catches. */
export function handlerActivity(
  handler: Handler,
  program: TSESTree.Program,
  queries: QueryChain[],
  sdks: Set<string>,
  options: LoggingOptions,
  helpers: Map<string, LogHelper>,
): HandlerActivity {
  const reach = reachOf(handler, program);
  const writes = queries.filter(
    (q) => (q.operation === 'insert' || q.operation === 'upsert' || q.operation === 'update' || q.operation === 'delete') && inside(q.from, reach),
  );
  const externalCalls: ExternalCall[] = [];
  const successLogs: LogCall[] = [];
  const catches: CatchSite[] = [];
  const seen = new Set<TSESTree.Node>();
  // Only catches and calls matter: `seen` holds those (a nested function in reach was walked with its parent).
  for (const fn of reach) {
    walkTypes(fn.body, ACTIVITY_TYPES, (n) => {
      if (seen.has(n)) return false;
      seen.add(n);
      if (n.type === AST_NODE_TYPES.CatchClause) {
        const guarded = n.parent?.type === AST_NODE_TYPES.TryStatement ? n.parent.block : null;
        catches.push({ node: n, param: n.param, body: n.body, guarded });
      }
      if (n.type !== AST_NODE_TYPES.CallExpression) return true;
      const external = externalCallLabel(n, sdks);
      if (external) externalCalls.push({ call: n, label: external });
      const promiseCatch = promiseCatchSite(n);
      if (promiseCatch) catches.push(promiseCatch);
      const log = logCallOf(n, options, helpers);
      if (log && onSuccessPath(n)) successLogs.push(log);
      return true;
    });
  }
  return { reach, writes, externalCalls, successLogs, catches };
}

/** `.catch((err) => …)` on a promise, except the `req.json().catch(() => ({}))` idiom for an optional body. */
function promiseCatchSite(call: TSESTree.CallExpression): CatchSite | null {
  if (call.callee.type !== AST_NODE_TYPES.MemberExpression || propertyName(call.callee) !== 'catch') return null;
  const cb = call.arguments[0] ? unwrap(call.arguments[0]) : null;
  if (!cb || !isFunction(cb)) return null;
  const receiver = unwrap(call.callee.object);
  if (receiver.type === AST_NODE_TYPES.CallExpression && receiver.callee.type === AST_NODE_TYPES.MemberExpression) {
    const method = propertyName(receiver.callee);
    if (method && /^(json|text|formData|arrayBuffer|blob|parseBody)$/.test(method)) return null;
  }
  return { node: cb, param: cb.params[0] ?? null, body: cb.body, guarded: null };
}

/** A log call is on the success path unless it sits in a catch, or in a branch that answers an error or throws. */
export function onSuccessPath(node: TSESTree.Node): boolean {
  let current: TSESTree.Node | undefined = node.parent;
  let child: TSESTree.Node = node;
  while (current && !isFunction(current)) {
    if (current.type === AST_NODE_TYPES.CatchClause) return false;
    if (current.type === AST_NODE_TYPES.IfStatement && child !== current.test && branchFails(child)) return false;
    child = current;
    current = current.parent;
  }
  // A `.catch(cb)` callback.
  if (current && current.parent?.type === AST_NODE_TYPES.CallExpression) {
    const call = current.parent;
    if (call.callee.type === AST_NODE_TYPES.MemberExpression && propertyName(call.callee) === 'catch') return false;
  }
  return true;
}

/** Whether a branch ends by throwing or answering a 4xx/5xx. */
function branchFails(branch: TSESTree.Node): boolean {
  let fails = false;
  walk(branch, (n) => {
    if (fails) return false;
    if (n !== branch && isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.ThrowStatement) fails = true;
    if (n.type === AST_NODE_TYPES.ReturnStatement && n.argument) {
      const status = responseStatus(n.argument);
      if (status !== null && status >= 400) fails = true;
    }
    return true;
  });
  return fails;
}

/**
 * Status of a response expression: `new Response(x, { status: 500 })`, `Response.json(x, { status })`,
 * `c.json(x, 500)`, `c.text(x, 400)`, `jsonResponse(x, 500)`-style helpers with a numeric last argument.
 * 200 when a Response is built without a status; null when unknown.
 */
export function responseStatus(node: TSESTree.Node): number | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.NewExpression && n.callee.type === AST_NODE_TYPES.Identifier && n.callee.name === 'Response') {
    return statusOfInit(n.arguments[1]) ?? 200;
  }
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const path = calleePath(n);
    const joined = path?.join('.') ?? '';
    const last = path?.[path.length - 1] ?? '';
    // Helpers named for what they answer: `forbiddenResponse(…)`, `badRequest(…)`, `serverError(…)`.
    if (/^(badRequest|invalid\w*Response)/i.test(last)) return 400;
    if (/^unauthori[sz]ed/i.test(last)) return 401;
    if (/^forbidden/i.test(last)) return 403;
    if (/^notFound/i.test(last)) return 404;
    if (/^(serverError|internalError|internalServerError)/i.test(last)) return 500;
    if (joined === 'Response.json' || joined === 'Response.redirect') return statusOfInit(n.arguments[1]) ?? (joined === 'Response.json' ? 200 : 302);
    for (const arg of [...n.arguments].reverse()) {
      const a = unwrap(arg);
      if (a.type === AST_NODE_TYPES.Literal && typeof a.value === 'number' && a.value >= 100 && a.value < 600) return a.value;
      const fromInit = statusOfInit(a);
      if (fromInit !== null) return fromInit;
    }
  }
  return null;
}

function statusOfInit(node: TSESTree.Node | undefined): number | null {
  if (!node) return null;
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.ObjectExpression) return null;
  for (const prop of n.properties) {
    if (prop.type === AST_NODE_TYPES.Property && propertyKey(prop) === 'status') {
      const v = unwrap(prop.value as TSESTree.Node);
      if (v.type === AST_NODE_TYPES.Literal && typeof v.value === 'number') return v.value;
    }
  }
  return null;
}

// ─── Catches ───────────────────────────────────────────────────────────────────────────────

export type CatchVerdict =
  | { kind: 'logs' }
  | { kind: 'rethrows' }
  | { kind: 'client-error' }
  /** The try block does no I/O (`new URL(raw)`, `JSON.parse`): its catch is control flow, not a failure to log. */
  | { kind: 'control-flow' }
  | { kind: 'empty' }
  | { kind: 'silent' }
  | { kind: 'wrong-level'; label: string }
  | { kind: 'without-error'; label: string };

/** How a catch treats the error it caught. */
export function judgeCatch(site: CatchSite, options: LoggingOptions, helpers: Map<string, LogHelper>): CatchVerdict {
  const body = site.body;
  if (site.guarded && !doesIo(site.guarded)) return { kind: 'control-flow' };
  if (body.type === AST_NODE_TYPES.BlockStatement && body.body.length === 0) return { kind: 'empty' };
  const names = new Set(site.param ? paramNames(site.param) : []);
  // `const msg = err instanceof Error ? err.message : String(err)` carries the error too.
  addDerivedNames(body, names);
  let rethrows = false;
  let logsError = false;
  let wrongLevel: string | null = null;
  let warned = false;
  let deferred = false;
  let withoutError: string | null = null;
  let clientError = false;
  let otherAnswer = false;
  let failureAnswer = false;
  walk(body, (n) => {
    if (n !== body && isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.CatchClause) return false; // a nested catch is judged on its own
    if (n.type === AST_NODE_TYPES.ThrowStatement) rethrows = true;
    // Kept for later: `lastError = err` in a retry loop, `errors.push(err)`, `result.error = e`.
    if (n.type === AST_NODE_TYPES.AssignmentExpression && references([n.right], names) && !declaredInside(n.left, body)) deferred = true;
    if (
      n.type === AST_NODE_TYPES.CallExpression &&
      n.callee.type === AST_NODE_TYPES.MemberExpression &&
      /^(push|unshift|set|add)$/.test(propertyName(n.callee) ?? '') &&
      references(n.arguments, names)
    ) {
      deferred = true;
    }
    if (n.type === AST_NODE_TYPES.ReturnStatement && n.argument) {
      const status = responseStatus(n.argument);
      if (status !== null && status >= 400 && status < 500) clientError = true;
      else if (status !== null) otherAnswer = true;
      if (status !== null && status >= 500) failureAnswer = true;
    }
    if (n.type === AST_NODE_TYPES.CallExpression) {
      const log = logCallOf(n, options, helpers);
      const carriesError = references(n.arguments, names);
      if (log) {
        if (log.level === 'error' && carriesError) logsError = true;
        else if (log.level === 'error') withoutError ??= log.label;
        else if (log.level === 'warn') warned = true;
        // A local helper given the error records it somewhere (`completeJob(id, undefined, msg)`).
        else if (carriesError && !directLogCall(n, options)) logsError = true;
        else if (carriesError) wrongLevel ??= log.label;
        if (log.level === 'warn' && carriesError) wrongLevel ??= log.label;
      } else {
        const path = calleePath(n);
        const name = path?.[path.length - 1] ?? '';
        if (ERROR_REPORTERS.test(name) && carriesError) logsError = true;
        // `Sentry.captureException(err)`, `reportError(err)`.
      }
    }
    return true;
  });
  // Expression-bodied `.catch((e) => console.error(e))` is walked above as its body.
  if (logsError) return { kind: 'logs' };
  if (rethrows || deferred) return { kind: 'rethrows' };
  // A warning for an error the code recovers from (it goes on, answers no failure) is a fair trace.
  if (warned && !failureAnswer) return { kind: 'logs' };
  // Only answers the caller's mistake (bad JSON, bad signature): the caller sees the 4xx.
  if (clientError && !otherAnswer) return { kind: 'client-error' };
  if (wrongLevel) return { kind: 'wrong-level', label: wrongLevel };
  if (withoutError) return { kind: 'without-error', label: withoutError };
  return { kind: 'silent' };
}

/** Whether the variable assigned is declared inside `scope` (a local of the catch, not an outer one). */
function declaredInside(target: TSESTree.Node, scope: TSESTree.Node): boolean {
  if (target.type === AST_NODE_TYPES.MemberExpression) return false;
  if (target.type !== AST_NODE_TYPES.Identifier) return true;
  const b = resolveBinding(target);
  if (!b || b.kind !== 'var') return b?.kind === 'catch';
  return b.declarator.range[0] >= scope.range[0] && b.declarator.range[1] <= scope.range[1];
}

/** Whether a block awaits, queries or calls out: the work whose failure must leave a trace. */
export function doesIo(block: TSESTree.Node): boolean {
  let io = false;
  walk(block, (n) => {
    if (io) return false;
    if (n !== block && isFunction(n)) return false;
    // Awaiting a body parse (`await req.json()`, `await res.text()`) is parsing, not I/O to report.
    if (n.type === AST_NODE_TYPES.AwaitExpression && !isBodyRead(n.argument)) io = true;
    if (n.type === AST_NODE_TYPES.ForOfStatement && n.await) io = true;
    if (n.type === AST_NODE_TYPES.CallExpression) {
      const path = calleePath(n);
      const last = path?.[path.length - 1] ?? (n.callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(n.callee) : null);
      if (last && /^(fetch|from|rpc|then|invoke|send|upload|insert|update|upsert|delete)$/.test(last)) io = true;
    }
    return true;
  });
  return io;
}

function isBodyRead(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  return (
    n.type === AST_NODE_TYPES.CallExpression &&
    n.callee.type === AST_NODE_TYPES.MemberExpression &&
    /^(json|text|arrayBuffer|formData|blob|parseBody)$/.test(propertyName(n.callee) ?? '')
  );
}

/** Adds local variables of `body` whose value is computed from one of `names` (to a fixpoint). */
function addDerivedNames(body: TSESTree.Node, names: Set<string>): void {
  for (let changed = true; changed; ) {
    changed = false;
    walk(body, (n) => {
      if (n !== body && isFunction(n)) return false;
      if (n.type === AST_NODE_TYPES.VariableDeclarator && n.init && n.id.type === AST_NODE_TYPES.Identifier && !names.has(n.id.name)) {
        if (references([n.init], names)) {
          names.add(n.id.name);
          changed = true;
        }
      }
      return true;
    });
  }
}

/** Name used in messages for a catch parameter: `err`, or `error` when there is none. */
export function catchParamName(site: CatchSite): string {
  const p = site.param;
  if (p?.type === AST_NODE_TYPES.Identifier) return p.name;
  return 'err';
}

export function describeLabel(node: TSESTree.Node): string {
  const path = memberPath(node);
  if (path) return path.join('.');
  return stringValue(node) ?? 'value';
}
