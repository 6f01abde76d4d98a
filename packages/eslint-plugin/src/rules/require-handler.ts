import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleePath, walk } from '../analysis/ast.js';
import { createRule } from '../create-rule.js';
import { functionNameOf, isFunctionEntrypoint } from '../analysis/function-path.js';
import { findHandlers } from '../analysis/handlers.js';
import { readSettings } from '../settings.js';

export default createRule({
  name: 'require-handler',
  meta: {
    type: 'problem',
    docs: {
      description: "Every edge function's entrypoint registers a request handler that supagate can find",
      gate: 'plan',
      recommended: true,
    },
    schema: [],
    messages: {
      noServer:
        '`{{fn}}` never starts a server: Supabase runs this file but nothing answers requests — call `Deno.serve(handler)` (or `export default { fetch }`)',
      unresolvedHandler:
        "`{{fn}}` serves requests with a handler defined elsewhere, so its verification, error handling and logging cannot be checked — define the handler in this file or pass it inline",
    },
  },
  defaultOptions: [],
  create(context) {
    const settings = readSettings(context);
    if (!isFunctionEntrypoint(context.filename, settings.functionsDir)) return {};
    const fn = functionNameOf(context.filename, settings.functionsDir)!;
    return {
      'Program:exit'(program) {
        const discovery = findHandlers(program);
        if (discovery.handlers.some((h) => h.form !== 'hono-middleware')) return;
        if (!discovery.servesRequests) {
          context.report({ node: program, loc: { line: 1, column: 0 }, messageId: 'noServer', data: { fn } });
        } else {
          const registration = findRegistration(program);
          context.report({ node: registration ?? program, messageId: 'unresolvedHandler', data: { fn } });
        }
      },
    };
  },
});

function findRegistration(program: TSESTree.Program): TSESTree.Node | null {
  let found: TSESTree.Node | null = null;
  walk(program, (node) => {
    if (found) return false;
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const p = calleePath(node)?.join('.');
      if (p === 'Deno.serve' || p === 'serve' || p === 'listenAndServe') found = node;
    }
    if (node.type === AST_NODE_TYPES.ExportDefaultDeclaration) found = node;
  });
  return found;
}
