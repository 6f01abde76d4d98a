import * as path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleePath, isFunction, stringValue, unwrap, walk, walkTypes, type FunctionNode } from '../analysis/ast.js';
import { findHandlers, type Handler } from '../analysis/handlers.js';
import { describeResponse, type ResponseContext, type ResponseInfo } from '../analysis/responses.js';
import { exits, moduleScope, resolveCall, summarizeHandlers, type FunctionSummary } from '../analysis/verification.js';
import { createRule } from '../create-rule.js';

export type Options = [{ checkErrorField?: boolean; allowRethrow?: boolean }];
export type MessageIds = 'unprotectedWork' | 'catchAnswers2xx' | 'catchRethrows' | 'errorWith2xx';

export default createRule<Options, MessageIds>({
  name: 'require-error-handling',
  meta: {
    type: 'problem',
    docs: {
      description:
        "Edge function handlers run their work inside try/catch, and errors answer 4xx/5xx — never 200, never a bare platform 500",
      gate: 'observability',
      recommended: true,
    },
    messages: {
      unprotectedWork:
        '`{{what}}` at {{where}} runs outside try/catch: if it throws, the platform answers a bare 500 and nothing is logged — wrap the handler’s work in try/catch and answer 4xx/5xx{{more}}',
      catchAnswers2xx:
        'this catch answers {{status}} — an error must answer 4xx/5xx (usually 500) so the caller, monitoring and webhook retries see the failure',
      catchRethrows:
        'this catch rethrows, but nothing above the handler answers it: the platform replies a bare 500 — return a 500 Response here (or add an `onError` handler)',
      errorWith2xx:
        'response carries an `error` field but answers {{status}} — answer 4xx/5xx so clients and monitoring see the failure',
    },
    schema: [
      {
        type: 'object',
        properties: {
          checkErrorField: { type: 'boolean', description: 'Flag responses with an `error` field and a 2xx status.' },
          allowRethrow: { type: 'boolean', description: 'Accept a handler catch that rethrows (a wrapper outside this file answers).' },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ checkErrorField: true, allowRethrow: false }],
  },
  create(context, [options]) {
    const checkErrorField = options?.checkErrorField !== false;
    const allowRethrow = options?.allowRethrow === true;
    return {
      'Program:exit'(program) {
        const absolute = path.resolve(context.cwd, context.filename);
        const scope = moduleScope(program, absolute);
        const discovery = findHandlers(program);
        const honoOnError = discovery.honoAppsWithOnError.size > 0;
        const reported = new Set<TSESTree.Node>();
        const report = (node: TSESTree.Node, messageId: MessageIds, data: Record<string, string>) => {
          if (reported.has(node)) return;
          reported.add(node);
          context.report({ node, messageId, data });
        };

        // Shared with require-webhook-verification, which starts with the same analysis.
        const phase = summarizeHandlers(program, scope, discovery.handlers, {}, false);
        const handlerSummaries: Array<{ handler: Handler; summary: FunctionSummary }> = [];
        for (const handler of discovery.handlers) handlerSummaries.push({ handler, summary: phase.summaries.get(handler)! });

        // 1. Work outside try/catch.
        for (const { handler, summary } of handlerSummaries) {
          const isHono = handler.form === 'hono-route' || handler.form === 'hono-middleware';
          if (isHono && honoOnError) continue;
          if (serveHasOnError(handler)) continue;
          const risky = summary.unprotected;
          if (risky.length === 0) continue;
          const first = risky[0];
          // At the call in the handler: a helper's own work is fine when its caller wraps it.
          const node = first.node;
          const more = risky.length > 1 ? ` (${risky.length - 1} more call${risky.length > 2 ? 's' : ''} after it too)` : '';
          report(node, 'unprotectedWork', { what: first.origin.text, where: whereText(first.origin.file, first.origin.line, absolute), more });
        }

        // 2. Catches and error responses in handlers and the helpers of this file they call.
        const functions = new Map<FunctionNode, { handler: Handler | null }>();
        for (const { handler } of handlerSummaries) functions.set(handler.fn, { handler });
        for (const s of phase.reached) if (s.scope === scope && !functions.has(s.fn)) functions.set(s.fn, { handler: null });

        for (const [fn, { handler }] of functions) {
          const honoContexts = handler
            ? new Set(handler.requestVia === 'hono-context' && handler.requestParam ? [handler.requestParam] : [])
            : undefined;
          const responseContext: ResponseContext = {
            honoContexts,
            resolveFunction: (call) => resolveCall(scope, call)?.fn ?? null,
          };
          const isHono = handler && (handler.form === 'hono-route' || handler.form === 'hono-middleware');
          walkOwn(fn, (node) => {
            if (node.type === AST_NODE_TYPES.CatchClause) {
              for (const ret of ownReturns(node.body)) {
                if (!ret.argument) continue;
                const info = describeResponse(ret.argument, responseContext);
                if (info && isSuccess(info)) report(ret.argument, 'catchAnswers2xx', { status: statusText(info) });
              }
              const tryStmt = node.parent as TSESTree.TryStatement;
              if (
                handler &&
                !allowRethrow &&
                !(isHono && honoOnError) &&
                !serveHasOnError(handler) &&
                tryStmt.parent === fn.body &&
                onlyRethrows(node.body)
              ) {
                const thrown = ownThrows(node.body)[0];
                if (thrown) report(thrown, 'catchRethrows', {});
              }
            }
            if (checkErrorField && (node.type === AST_NODE_TYPES.NewExpression || node.type === AST_NODE_TYPES.CallExpression)) {
              if (node.type === AST_NODE_TYPES.CallExpression && calleePath(node)?.join('.') === 'JSON.stringify') return;
              const info = describeResponse(node, responseContext);
              // Only where the `{ error }` object is written: a helper building it reports inside itself.
              if (info && info.hasErrorField && isSuccess(info) && info.body && node.range[0] <= info.body.range[0] && info.body.range[1] <= node.range[1]) {
                report(node, 'errorWith2xx', { status: statusText(info) });
              }
            }
          });
        }
      },
    };
  },
});

function isSuccess(info: ResponseInfo): boolean {
  if (info.defaulted) return true;
  return info.status !== null && info.status >= 200 && info.status < 300;
}

function statusText(info: ResponseInfo): string {
  return info.defaulted ? `with no status (so 200, via \`${info.builder}\`)` : `status ${info.status}`;
}

function whereText(file: string | null, line: number, current: string): string {
  if (!file || file === current) return `line ${line}`;
  const rel = path.relative(path.dirname(current), file).replace(/\\/g, '/');
  return `${rel.startsWith('.') ? rel : `./${rel}`} line ${line}`;
}

/** `Deno.serve({ onError }, handler)`: the runtime answers thrown errors with that function. */
function serveHasOnError(handler: Handler): boolean {
  const reg = handler.registration;
  if (reg.type !== AST_NODE_TYPES.CallExpression) return false;
  return reg.arguments.some((a) => {
    const n = unwrap(a);
    return (
      n.type === AST_NODE_TYPES.ObjectExpression &&
      n.properties.some((p) => p.type === AST_NODE_TYPES.Property && ((p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'onError') || stringValue(p.key) === 'onError'))
    );
  });
}

/** The nodes `walkOwn`'s visitor acts on, and the nested helper definitions it stops at. */
const OWN_TYPES = [
  AST_NODE_TYPES.CatchClause,
  AST_NODE_TYPES.NewExpression,
  AST_NODE_TYPES.CallExpression,
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.VariableDeclarator,
];

/**
 * Visits a function's own catches, `new` expressions and calls, with its inline callbacks,
 * not nested named helpers (analysed on their own). Other nodes are not visited.
 */
function walkOwn(fn: FunctionNode, visit: (node: TSESTree.Node) => void): void {
  walkTypes(fn.body, OWN_TYPES, (n) => {
    if (n !== fn.body && (n.type === AST_NODE_TYPES.FunctionDeclaration || (n.type === AST_NODE_TYPES.VariableDeclarator && n.init && isFunction(unwrap(n.init))))) {
      return false;
    }
    visit(n);
    return true;
  });
}

function ownReturns(block: TSESTree.Node): TSESTree.ReturnStatement[] {
  const out: TSESTree.ReturnStatement[] = [];
  walk(block, (n) => {
    if (isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.ReturnStatement) out.push(n);
    return true;
  });
  return out;
}

function ownThrows(block: TSESTree.Node): TSESTree.ThrowStatement[] {
  const out: TSESTree.ThrowStatement[] = [];
  walk(block, (n) => {
    if (isFunction(n)) return false;
    if (n.type === AST_NODE_TYPES.ThrowStatement) out.push(n);
    return true;
  });
  return out;
}

/** A catch that leaves only by throwing (no return anywhere in it). */
function onlyRethrows(block: TSESTree.BlockStatement): boolean {
  return exits(block) && ownReturns(block).length === 0 && ownThrows(block).length > 0;
}
