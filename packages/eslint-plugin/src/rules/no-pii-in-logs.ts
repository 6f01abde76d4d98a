import type { TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { readSettings } from '../settings.js';
import { calleePath } from '../analysis/ast.js';
import { analyzePiiFlow, type Leak, type PiiFlow } from '../analysis/data-flow.js';
import { findHandlers } from '../analysis/handlers.js';
import { createPiiVocabulary } from '../analysis/pii.js';

type Options = [
  {
    /** Also report whole records: request bodies, webhook payloads, patient records, PII query rows. */
    checkRecords?: boolean;
    /** `console` methods not checked (e.g. `debug` when debug logs never reach production). */
    ignoreMethods?: string[];
  },
];
type MessageIds = 'pii' | 'credential' | 'record';

/**
 * Flags `console.*` calls and configured loggers whose arguments carry PII (DESIGN.md: PII):
 * named personal data or credentials, values that flow from them inside the module, and
 * whole request bodies, webhook payloads and person records. Sanitizer calls clear it.
 */
export const noPiiInLogs = createRule<Options, MessageIds>({
  name: 'no-pii-in-logs',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow logging personal data (CPF, name, e-mail, phone, health data) and credentials',
      gate: 'edge-function',
      recommended: true,
    },
    messages: {
      pii: 'logs {{what}} ({{label}}) — log an id or mask it',
      credential: 'logs {{what}} ({{label}}) — never log credentials; log only whether it is present',
      record: 'logs {{what}} ({{label}}) — log only the fields you need: an id, a count or masked values',
    },
    schema: [
      {
        type: 'object',
        properties: {
          checkRecords: { type: 'boolean' },
          ignoreMethods: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ checkRecords: true, ignoreMethods: [] }],
  },
  defaultOptions: [{ checkRecords: true, ignoreMethods: [] }],
  create(context, [options]) {
    const settings = readSettings(context);
    const vocabulary = createPiiVocabulary(settings.pii);
    const loggers = new Set(settings.loggers);
    const ignoreMethods = new Set(options.ignoreMethods ?? []);
    const checkRecords = options.checkRecords !== false;
    const sourceCode = context.sourceCode;
    let flow: PiiFlow | null = null;

    const getFlow = (): PiiFlow => {
      if (!flow) {
        const program = sourceCode.ast as TSESTree.Program;
        const requestNames = new Set<string>();
        for (const handler of findHandlers(program).handlers) {
          if (handler.requestParam && handler.requestVia === 'request') requestNames.add(handler.requestParam);
        }
        flow = analyzePiiFlow(program, {
          vocabulary,
          sanitizers: settings.sanitizers,
          // Messages show at most a short prefix: do not copy whole functions for every node.
          getText: (node) => sourceCode.text.slice(node.range[0], Math.min(node.range[1], node.range[0] + 200)),
          requestNames,
        });
      }
      return flow;
    };

    /** `console.log(…)`, `logger.info(…)`, `this.logger.warn(…)`, `log(…)`. */
    const isLoggerCall = (call: TSESTree.CallExpression): boolean => {
      const path = calleePath(call);
      if (!path) return false;
      if (path.length === 1) return loggers.has(path[0]);
      const method = path[path.length - 1];
      const object = path[path.length - 2];
      if (object === 'console') return path.length === 2 && !ignoreMethods.has(method);
      return loggers.has(object);
    };

    const describe = (leak: Leak): string => {
      const origin = leak.taint.origin.replace(/\s+/g, ' ');
      return origin === leak.text ? `\`${leak.text}\`` : `\`${leak.text}\`, which holds \`${origin}\``;
    };

    return {
      CallExpression(node) {
        if (!isLoggerCall(node)) return;
        const seen = new Set<string>();
        for (const arg of node.arguments) {
          for (const leak of getFlow().leaksIn(arg)) {
            if (leak.taint.kind === 'record' && !checkRecords) continue;
            const key = `${leak.node.range[0]}:${leak.node.range[1]}`;
            if (seen.has(key)) continue;
            seen.add(key);
            context.report({
              node: leak.node,
              messageId: leak.taint.kind === 'record' ? 'record' : leak.taint.credential ? 'credential' : 'pii',
              data: { what: describe(leak), label: leak.taint.label },
            });
          }
        }
      },
    };
  },
});

export default noPiiInLogs;
