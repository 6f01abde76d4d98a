import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { readSettings } from '../settings.js';
import { findHandlers, type Handler } from '../analysis/handlers.js';
import { trackSupabaseClients } from '../analysis/supabase-clients.js';
import {
  catchParamName,
  findLogHelpers,
  findSdkClients,
  handlerActivity,
  judgeCatch,
  type CatchSite,
  type HandlerActivity,
  type LogCall,
  type LoggingOptions,
} from '../analysis/logging.js';
import { tenantNames } from '../analysis/tenant.js';
import { functionNameOf } from '../analysis/function-path.js';

type Options = [
  {
    /** Logger objects checked like `console`, added to `settings.supagate.loggers`. */
    loggers?: string[];
    /** Loggers that stamp the time themselves (pino, a wrapper that adds `at`). */
    timestampedLoggers?: string[];
    /** Field names that count as a timestamp. */
    timestampFields?: string[];
    /** Field names that count as the tenant id (default: the tenant column and its camelCase). */
    tenantFields?: string[];
    /** A `catch` that only answers 4xx (bad JSON, bad signature) need not log. */
    allowClientErrorCatch?: boolean;
  },
];

type MessageIds = 'missingSuccessLog' | 'successLogIncomplete' | 'successLogLevel' | 'emptyCatch' | 'silentCatch' | 'catchWrongLevel' | 'catchWithoutError';

const DEFAULT_TIMESTAMP_FIELDS = ['at', 'timestamp', 'ts', 'time'];

export default createRule<Options, MessageIds>({
  name: 'require-structured-logs',
  meta: {
    type: 'suggestion',
    docs: {
      description:
        'Require handlers that change data or call a service to log a success event with the tenant id and a timestamp, and every catch to log the error',
      gate: 'observability',
      recommended: true,
    },
    schema: [
      {
        type: 'object',
        properties: {
          loggers: { type: 'array', items: { type: 'string' } },
          timestampedLoggers: { type: 'array', items: { type: 'string' } },
          timestampFields: { type: 'array', items: { type: 'string' } },
          tenantFields: { type: 'array', items: { type: 'string' } },
          allowClientErrorCatch: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      missingSuccessLog:
        "`{{fn}}` {{does}} but logs no success event with `{{tenant}}` and a timestamp — add `console.info({ event: '…', {{tenant}}, at: new Date().toISOString() })` once it succeeds",
      successLogIncomplete:
        '`{{fn}}` {{does}} and this success log lacks {{missing}} — log an object with `{{tenant}}` and `at: new Date().toISOString()`',
      successLogLevel:
        '`{{fn}}` logs its success event with `{{label}}` — use `console.info` (or a logger\'s `info`) so it shows as an info event in the function logs',
      emptyCatch: 'empty `catch` in `{{fn}}` swallows the error — log it with `console.error(\'…\', {{param}})` or rethrow',
      silentCatch:
        'this `catch` in `{{fn}}` handles the error without logging it — add `console.error(\'…\', {{param}})` before answering, or rethrow',
      catchWrongLevel:
        'this `catch` in `{{fn}}` logs the error with `{{label}}` — use `console.error` so the failure shows as an error in the function logs',
      catchWithoutError:
        'this `catch` in `{{fn}}` logs a message but not the error itself — pass it: `{{label}}(\'…\', {{param}})`',
    },
  },
  defaultOptions: [{ loggers: [], timestampedLoggers: [], timestampFields: DEFAULT_TIMESTAMP_FIELDS, tenantFields: [], allowClientErrorCatch: true }],
  create(context, [options]) {
    const settings = readSettings(context);
    const names = tenantNames(settings.tenantColumn);
    const logging: LoggingOptions = {
      loggers: [...new Set([...settings.loggers, ...(options.loggers ?? [])])],
      timestampedLoggers: options.timestampedLoggers ?? [],
      timestampFields: options.timestampFields && options.timestampFields.length > 0 ? options.timestampFields : DEFAULT_TIMESTAMP_FIELDS,
      tenantFields: options.tenantFields && options.tenantFields.length > 0 ? options.tenantFields : [...names.keys],
    };
    const allowClientError = options.allowClientErrorCatch ?? true;
    const fnName = functionName(context.filename, settings.functionsDir);

    return {
      'Program:exit'(program: TSESTree.Program) {
        const { handlers } = findHandlers(program);
        if (handlers.length === 0) return;
        const { queries } = trackSupabaseClients(program);
        const sdks = findSdkClients(program);
        const helpers = findLogHelpers(program, logging);
        const judged = new Set<TSESTree.Node>();
        const reportedAt = new Set<TSESTree.Node>();

        for (const handler of handlers) {
          const activity = handlerActivity(handler, program, queries, sdks, logging, helpers);
          const name = handler.route ? `${fnName} ${handler.route.method}${handler.route.path ? ' ' + handler.route.path : ''}` : fnName;
          if (handler.form !== 'hono-middleware') checkSuccess(handler, activity, name);
          for (const site of activity.catches) {
            if (judged.has(site.node)) continue;
            judged.add(site.node);
            checkCatch(site, name);
          }
        }

        function checkSuccess(handler: Handler, activity: HandlerActivity, name: string) {
          const does = describeActivity(activity);
          if (!does) return;
          const complete = activity.successLogs.filter((l) => l.tenant && l.timestamp);
          if (complete.some((l) => l.level === 'info')) return;
          const data = { fn: name, does, tenant: names.column };
          if (complete.length > 0) {
            context.report({ node: complete[0].call.callee, messageId: 'successLogLevel', data: { fn: name, label: complete[0].label } });
            return;
          }
          const partial = bestPartial(activity.successLogs);
          if (partial) {
            const missing = [!partial.tenant ? `\`${names.column}\`` : null, !partial.timestamp ? 'a timestamp' : null].filter(Boolean).join(' and ');
            context.report({ node: partial.call.callee, messageId: 'successLogIncomplete', data: { ...data, missing } });
            return;
          }
          // At the first change or call that needed the event (where the log should follow).
          const at = firstActivity(activity);
          if (at && reportedAt.has(at)) return;
          if (at) reportedAt.add(at);
          if (at) context.report({ node: at, messageId: 'missingSuccessLog', data });
          else context.report({ loc: headOf(handler), messageId: 'missingSuccessLog', data });
        }

        function checkCatch(site: CatchSite, name: string) {
          const verdict = judgeCatch(site, logging, helpers);
          const param = catchParamName(site);
          const loc = catchLoc(site);
          switch (verdict.kind) {
            case 'logs':
            case 'rethrows':
            case 'control-flow':
              return;
            case 'client-error':
              if (allowClientError) return;
              context.report({ loc, messageId: 'silentCatch', data: { fn: name, param } });
              return;
            case 'empty':
              context.report({ loc, messageId: 'emptyCatch', data: { fn: name, param } });
              return;
            case 'silent':
              context.report({ loc, messageId: 'silentCatch', data: { fn: name, param } });
              return;
            case 'wrong-level':
              context.report({ loc, messageId: 'catchWrongLevel', data: { fn: name, label: verdict.label } });
              return;
            case 'without-error':
              context.report({ loc, messageId: 'catchWithoutError', data: { fn: name, label: verdict.label, param } });
              return;
          }
        }
      },
    };
  },
});

/** "writes `payments` and `appointments` and calls `resend.emails.send`". */
function describeActivity(activity: HandlerActivity): string | null {
  const parts: string[] = [];
  const tables = [...new Set(activity.writes.map((w) => w.table ?? '?'))];
  if (tables.length > 0) {
    const named = tables.filter((t) => t !== '?');
    parts.push(named.length > 0 ? `writes ${list(named.map((t) => `\`${t}\``))}` : 'writes to the database');
  }
  const calls = [...new Set(activity.externalCalls.map((c) => c.label))];
  if (calls.length > 0) parts.push(`calls ${list(calls.map((c) => `\`${c}\``))}`);
  return parts.length > 0 ? parts.join(' and ') : null;
}

function firstActivity(activity: HandlerActivity): TSESTree.Node | null {
  const nodes: TSESTree.Node[] = [
    ...activity.writes.map((w) => (w.operationCall?.callee.type === AST_NODE_TYPES.MemberExpression ? w.operationCall.callee.property : w.from)),
    ...activity.externalCalls.map((c) => c.call.callee),
  ];
  nodes.sort((a, b) => a.range[0] - b.range[0]);
  return nodes[0] ?? null;
}

function list(items: string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, 2).join(', ')} and ${items.length - 2} more`;
}

function bestPartial(logs: LogCall[]): LogCall | null {
  const useful = logs.filter((l) => (l.level === 'info' || l.level === 'log') && (l.tenant || l.timestamp));
  useful.sort((a, b) => Number(b.level === 'info') - Number(a.level === 'info'));
  return useful[0] ?? null;
}

/** From the start of the handler function to the start of its body: `async (req) =>`. */
function headOf(handler: Handler): TSESTree.SourceLocation {
  const fn = handler.fn;
  const end = fn.body.loc.start.line === fn.loc.start.line ? fn.body.loc.start : { line: fn.loc.start.line, column: fn.loc.start.column + 1 };
  return { start: fn.loc.start, end };
}

/** The `catch` keyword, or the `.catch` callback's parameters. */
function catchLoc(site: CatchSite): TSESTree.SourceLocation {
  const start = site.node.loc.start;
  if (site.node.type === AST_NODE_TYPES.CatchClause) return { start, end: { line: start.line, column: start.column + 'catch'.length } };
  return { start, end: site.body.loc.start.line === start.line ? site.body.loc.start : { line: start.line, column: start.column + 1 } };
}

/** The function's directory name, or the file's base name for code outside a function directory. */
function functionName(filename: string, functionsDir: string): string {
  const base = filename.replace(/\\/g, '/').split('/').pop() ?? filename;
  return functionNameOf(filename, functionsDir) ?? base.replace(/\.[cm]?[jt]sx?$/, '');
}
