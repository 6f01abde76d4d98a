import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleePath, isFunction, propertyName, stringValue, unwrap, walkTypes, type FunctionNode } from './ast.js';

/** How the edge function hands requests to its code (DESIGN.md: Handler). */
export type HandlerForm = 'Deno.serve' | 'std-serve' | 'export-default-fetch' | 'hono-route' | 'hono-middleware';

export interface Handler {
  form: HandlerForm;
  /** The function that answers requests. */
  fn: FunctionNode;
  /** The call or export that registers it, where a finding about the whole handler is reported. */
  registration: TSESTree.Node;
  /** Name of the first parameter: the Request (`req`) or, for Hono, the context (`c`). Null when destructured or absent. */
  requestParam: string | null;
  /** Hono handlers read the request through `c.req`; others receive the Request itself. */
  requestVia: 'request' | 'hono-context';
  /** HTTP method and path for Hono routes. */
  route?: { method: string; path: string | null };
}

export interface HandlerDiscovery {
  handlers: Handler[];
  /** Names of Hono apps with an `app.onError(...)` handler: a throw inside their routes still gets an answer. */
  honoAppsWithOnError: Set<string>;
  /** True when the module registers some server (even one whose handler could not be resolved). */
  servesRequests: boolean;
}

const HONO_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'all', 'on', 'options', 'head']);

const REGISTRATION_TYPES = [AST_NODE_TYPES.CallExpression, AST_NODE_TYPES.ExportDefaultDeclaration];
const DECLARATOR = [AST_NODE_TYPES.VariableDeclarator];

const discoveries = new WeakMap<TSESTree.Program, HandlerDiscovery>();

/**
 * Finds the functions that answer requests in one module, whatever the registration style.
 * Computed once per parsed file: six rules ask for it. Treat the result as read-only.
 */
export function findHandlers(program: TSESTree.Program): HandlerDiscovery {
  let discovery = discoveries.get(program);
  if (!discovery) {
    discovery = discoverHandlers(program);
    discoveries.set(program, discovery);
  }
  return discovery;
}

function discoverHandlers(program: TSESTree.Program): HandlerDiscovery {
  const topLevelFunctions = collectTopLevelFunctions(program);
  const honoApps = collectHonoApps(program);
  const handlers: Handler[] = [];
  const honoAppsWithOnError = new Set<string>();
  let servesRequests = false;

  const resolve = (node: TSESTree.Node | undefined): FunctionNode | null => {
    if (!node) return null;
    const n = unwrap(node);
    if (isFunction(n)) return n;
    if (n.type === AST_NODE_TYPES.Identifier) return topLevelFunctions.get(n.name) ?? null;
    return null;
  };
  const add = (form: HandlerForm, fn: FunctionNode | null, registration: TSESTree.Node, route?: Handler['route']) => {
    servesRequests = true;
    if (!fn) return;
    if (handlers.some((h) => h.fn === fn)) return;
    const isHono = form === 'hono-route' || form === 'hono-middleware';
    handlers.push({ form, fn, registration, requestParam: firstParamName(fn), requestVia: isHono ? 'hono-context' : 'request', route });
  };

  walkTypes(program, REGISTRATION_TYPES, (node) => {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const path = calleePath(node);
      if (path && path.length === 2 && path[0] === 'Deno' && path[1] === 'serve') {
        add('Deno.serve', serveHandler(node.arguments, resolve, honoApps), node);
      } else if (path && path.length === 1 && (path[0] === 'serve' || path[0] === 'listenAndServe')) {
        add('std-serve', serveHandler(node.arguments, resolve, honoApps), node);
      } else if (node.callee.type === AST_NODE_TYPES.MemberExpression) {
        const appName = honoAppName(node.callee.object, honoApps);
        const method = propertyName(node.callee);
        if (appName && method) {
          if (method === 'onError') honoAppsWithOnError.add(appName);
          const isRoute = HONO_METHODS.has(method);
          if (isRoute || method === 'use') {
            const routePath = stringValue(node.arguments[0]);
            const fns = node.arguments.map((a) => resolve(a)).filter((f): f is FunctionNode => !!f);
            fns.forEach((fn, index) => {
              const isLast = index === fns.length - 1;
              const form: HandlerForm = isRoute && isLast ? 'hono-route' : 'hono-middleware';
              add(form, fn, node, { method: method.toUpperCase(), path: routePath });
            });
          }
        }
      }
    }
    if (node.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      const decl = unwrap(node.declaration as TSESTree.Node);
      if (decl.type === AST_NODE_TYPES.ObjectExpression) {
        for (const prop of decl.properties) {
          if (prop.type === AST_NODE_TYPES.Property && keyName(prop.key) === 'fetch') {
            add('export-default-fetch', resolve(prop.value as TSESTree.Node), node);
          }
        }
      } else if (decl.type === AST_NODE_TYPES.Identifier) {
        // `export default app` (a Hono app or an imported `{ fetch }` object): served, handler elsewhere.
        servesRequests = true;
      }
    }
    return true;
  });

  return { handlers, honoAppsWithOnError, servesRequests };
}

/** `Deno.serve(h)`, `Deno.serve(opts, h)`, `Deno.serve({ handler })`, `serve(h, opts)`. */
function serveHandler(
  args: TSESTree.CallExpressionArgument[],
  resolve: (n: TSESTree.Node | undefined) => FunctionNode | null,
  honoApps: Set<string>,
): FunctionNode | null {
  for (const arg of args) {
    const fn = resolve(arg);
    if (fn) return fn;
    const a = unwrap(arg);
    if (a.type === AST_NODE_TYPES.ObjectExpression) {
      for (const prop of a.properties) {
        if (prop.type === AST_NODE_TYPES.Property && keyName(prop.key) === 'handler') {
          const inner = resolve(prop.value as TSESTree.Node);
          if (inner) return inner;
        }
      }
    }
    // `Deno.serve(app.fetch)`: the routes are the handlers, found separately.
    if (a.type === AST_NODE_TYPES.MemberExpression && honoAppName(a.object, honoApps)) return null;
  }
  return null;
}

function collectTopLevelFunctions(program: TSESTree.Program): Map<string, FunctionNode> {
  const out = new Map<string, FunctionNode>();
  for (const stmt of program.body) {
    const decl =
      stmt.type === AST_NODE_TYPES.ExportNamedDeclaration || stmt.type === AST_NODE_TYPES.ExportDefaultDeclaration
        ? stmt.declaration
        : stmt;
    if (!decl) continue;
    if (decl.type === AST_NODE_TYPES.FunctionDeclaration && decl.id) out.set(decl.id.name, decl);
    if (decl.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const d of decl.declarations) {
        if (d.id.type === AST_NODE_TYPES.Identifier && d.init && isFunction(unwrap(d.init))) {
          out.set(d.id.name, unwrap(d.init) as FunctionNode);
        }
      }
    }
  }
  return out;
}

/** Variables holding a Hono app: `const app = new Hono()` or `new Hono().basePath('/x')`. */
function collectHonoApps(program: TSESTree.Program): Set<string> {
  const apps = new Set<string>();
  walkTypes(program, DECLARATOR, (node) => {
    if (node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.Identifier && node.init) {
      if (isHonoConstruction(node.init)) apps.add(node.id.name);
    }
  });
  return apps;
}

function isHonoConstruction(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.NewExpression) {
    return n.callee.type === AST_NODE_TYPES.Identifier && /^(Hono|OpenAPIHono)$/.test(n.callee.name);
  }
  if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.MemberExpression) {
    return isHonoConstruction(n.callee.object);
  }
  return false;
}

/** The app a Hono call is made on, through chains like `app.post(...).get(...)`. */
function honoAppName(node: TSESTree.Node, apps: Set<string>): string | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) return apps.has(n.name) ? n.name : null;
  if (n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.MemberExpression) {
    return honoAppName(n.callee.object, apps);
  }
  return null;
}

function firstParamName(fn: FunctionNode): string | null {
  const p = fn.params[0];
  if (!p) return null;
  if (p.type === AST_NODE_TYPES.Identifier) return p.name;
  if (p.type === AST_NODE_TYPES.AssignmentPattern && p.left.type === AST_NODE_TYPES.Identifier) return p.left.name;
  return null;
}

function keyName(key: TSESTree.Node): string | null {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  return stringValue(key);
}
