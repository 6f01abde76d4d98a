import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { readSettings } from '../settings.js';
import { findHandlers } from '../analysis/handlers.js';
import { trackSupabaseClients, type QueryChain } from '../analysis/supabase-clients.js';
import {
  ORIGIN_WORDS,
  chainFilters,
  checkFilters,
  checkRows,
  isTenantScopedTable,
  isUntrusted,
  originOf,
  tenantNames,
  traceContext,
  wasChecked,
  type Origin,
  type TraceContext,
  type UntrustedOrigin,
} from '../analysis/tenant.js';

type Options = [
  {
    /** Also require reads (`select`) through a service-role client to filter on the tenant column. */
    checkReads?: boolean;
    /** Rows built where the rule cannot see them (a helper's parameter, a call's result): `ignore` or `report`. */
    unknownRows?: 'ignore' | 'report';
    /** Accept a tenant id taken from a webhook payload whose signature was checked, without a lookup. */
    trustWebhookPayload?: boolean;
  },
];

type MessageIds = 'unscopedFilter' | 'rowWithoutTenant' | 'rowUnknown' | 'tenantFromRequest' | 'rowFromRequest';

const VERB: Record<string, string> = {
  update: 'this update of',
  delete: 'this delete from',
  insert: 'this insert into',
  upsert: 'this upsert into',
  select: 'this read of',
};

export default createRule<Options, MessageIds>({
  name: 'require-tenant-scope',
  meta: {
    type: 'problem',
    docs: {
      description:
        'Require writes through a service-role client to be scoped to one tenant, with a tenant id that was checked, not taken from the request',
      gate: 'tenant-isolation',
      recommended: true,
    },
    schema: [
      {
        type: 'object',
        properties: {
          checkReads: { type: 'boolean' },
          unknownRows: { type: 'string', enum: ['ignore', 'report'] },
          trustWebhookPayload: { type: 'boolean' },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      unscopedFilter:
        '`{{client}}` bypasses RLS: {{verb}} `{{table}}` is not filtered by `{{column}}` — add `.eq(\'{{column}}\', {{variable}})`',
      rowWithoutTenant:
        '`{{client}}` bypasses RLS: {{verb}} `{{table}}` writes a row without `{{column}}` — add `{{column}}: {{variable}}` to it',
      rowUnknown:
        '`{{client}}` bypasses RLS: {{verb}} `{{table}}` writes rows built elsewhere — cannot see that they set `{{column}}`; build them here with `{{column}}`',
      tenantFromRequest:
        '{{column}} comes from {{where}} (`{{path}}`) and is written with the service role without being checked — look the {{tenant}} up first',
      rowFromRequest:
        '{{verb}} `{{table}}` writes `{{path}}` from {{where}} as is, so the caller chooses `{{column}}` — pick the columns and set `{{column}}` from a checked lookup',
    },
  },
  defaultOptions: [{ checkReads: false, unknownRows: 'ignore', trustWebhookPayload: false }],
  create(context, [options]) {
    const settings = readSettings(context);
    const names = tenantNames(settings.tenantColumn);
    const checkReads = options.checkReads ?? false;
    const reportUnknown = (options.unknownRows ?? 'ignore') === 'report';
    const trustWebhook = options.trustWebhookPayload ?? false;
    const tenantWord = names.column.replace(/_id$/, '').replace(/_/g, ' ');

    return {
      'Program:exit'(program: TSESTree.Program) {
        const clients = trackSupabaseClients(program);
        const { handlers } = findHandlers(program);
        const ctx = traceContext(handlers, clients.queries);
        const reported = new Set<TSESTree.Node>();

        for (const query of clients.queries) {
          if (query.client !== 'service-role' || !query.operation || !query.table) continue;
          const op = query.operation;
          const isWrite = op === 'insert' || op === 'upsert' || op === 'update' || op === 'delete';
          if (!isWrite && !(checkReads && op === 'select')) continue;
          if (!isTenantScopedTable(query.table, names, settings.tenantTables)) continue;
          checkQuery(query, ctx);
        }

        function base(query: QueryChain) {
          return {
            client: clientLabel(context.sourceCode.getText(query.from.callee.type === AST_NODE_TYPES.MemberExpression ? query.from.callee.object : query.from)),
            verb: VERB[query.operation ?? 'select'] ?? 'this write to',
            table: query.table ?? '?',
            column: names.column,
            variable: names.variable,
          };
        }

        function checkQuery(query: QueryChain, ctx: TraceContext) {
          const op = query.operation!;
          const data = base(query);
          if (op === 'update' || op === 'delete' || op === 'select') {
            const scope = checkFilters(chainFilters(query), names, ctx);
            if (scope.status === 'missing') {
              const at = query.operationCall?.callee.type === AST_NODE_TYPES.MemberExpression ? query.operationCall.callee.property : query.from;
              context.report({ node: at, messageId: 'unscopedFilter', data });
            } else {
              checkValue(scope.value, query);
            }
          }
          if (op === 'insert' || op === 'upsert' || op === 'update') {
            const arg = query.operationCall?.arguments[0];
            if (!arg) return;
            for (const row of checkRows(arg, names, ctx)) {
              if (row.status === 'scoped') checkValue(row.value, query);
              else if (row.status === 'from-request') reportFromRequest(row.node, row.origin, query);
              else if (op === 'update') continue; // an update payload need not set the tenant column
              else if (row.status === 'missing') context.report({ node: row.node, messageId: 'rowWithoutTenant', data });
              else if (row.status === 'unknown' && reportUnknown) context.report({ node: row.node, messageId: 'rowUnknown', data });
            }
          }
        }

        function untrusted(origin: Origin): origin is Origin & { kind: UntrustedOrigin } {
          if (!isUntrusted(origin.kind)) return false;
          if (trustWebhook && origin.kind === 'webhook-payload') return false;
          return true;
        }

        function checkValue(value: TSESTree.Node, query: QueryChain) {
          const origin = originOf(value, ctx);
          if (!untrusted(origin)) return;
          if (wasChecked(origin, query.top, clients.queries, ctx)) return;
          if (reported.has(value)) return;
          reported.add(value);
          context.report({
            node: value,
            messageId: 'tenantFromRequest',
            data: { column: names.column, where: ORIGIN_WORDS[origin.kind], path: origin.label, tenant: tenantWord },
          });
        }

        function reportFromRequest(node: TSESTree.Node, origin: Origin, query: QueryChain) {
          if (!untrusted(origin)) return;
          // The body's tenant field itself may have been checked (`.eq('id', body.clinic_id)` before).
          const tenantField = { ...origin, canonical: origin.canonical ? `${origin.canonical}${origin.canonical.endsWith(':') ? '' : '.'}${names.column}` : null };
          if (wasChecked(tenantField, query.top, clients.queries, ctx)) return;
          if (reported.has(node)) return;
          reported.add(node);
          context.report({
            node,
            messageId: 'rowFromRequest',
            data: { ...base(query), path: origin.label, where: ORIGIN_WORDS[origin.kind] },
          });
        }
      },
    };
  },
});

function clientLabel(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 40 ? oneLine.slice(0, 37) + '…' : oneLine;
}
