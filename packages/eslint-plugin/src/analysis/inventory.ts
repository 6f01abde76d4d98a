import { parse } from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleePath, propertyName, stringValue, walk } from './ast.js';
import { findHandlers, type HandlerForm } from './handlers.js';
import { envVarName, trackSupabaseClients, type ClientKind } from './supabase-clients.js';

/** What one module of an edge function shows about its integration (the plan gate's map). */
export interface ModuleInventory {
  handlers: HandlerForm[];
  /** Verification calls seen, by kind: `stripe.constructEventAsync`, `timing-safe compare`, … */
  verification: string[];
  tablesRead: string[];
  tablesWritten: string[];
  rpc: string[];
  clients: ClientKind[];
  /** Hosts of literal URLs passed to fetch / new URL / SDKs. */
  hosts: string[];
  /** Environment variables read. */
  secrets: string[];
  /** Third-party SDKs imported (`stripe`, `resend`, `svix`, …). */
  sdks: string[];
}

const VERIFICATION_CALLS: Array<[RegExp, string]> = [
  [/^constructEventAsync$/, 'stripe.constructEventAsync'],
  [/^constructEvent$/, 'stripe.constructEvent (sync)'],
  [/^(timingSafeEqual|constantTimeEqual|safeCompare|secureCompare|timingSafeCompare)$/i, 'timing-safe compare'],
  [/^getUser$|^getClaims$/, 'supabase.auth.getUser'],
];

const SDK_PATTERN = /(?:^|[/:@])(stripe|resend|svix|standardwebhooks|openai|twilio|@sendgrid\/mail|hono|@supabase\/supabase-js|asaas|mercadopago|evolution)(?:@|\/|$)/i;

export function inventoryOf(program: TSESTree.Program): ModuleInventory {
  const discovery = findHandlers(program);
  const clients = trackSupabaseClients(program);
  const verification = new Set<string>();
  const hosts = new Set<string>();
  const secrets = new Set<string>();
  const sdks = new Set<string>();
  const read = new Set<string>();
  const written = new Set<string>();
  const rpc = new Set<string>();

  for (const q of clients.queries) {
    if (q.operation === 'rpc') {
      const name = stringValue(q.from.arguments[0]);
      if (name) rpc.add(name);
    } else if (q.table) {
      (q.operation === 'select' ? read : written).add(q.table);
    }
  }

  walk(program, (node, parent) => {
    if (node.type === AST_NODE_TYPES.ImportDeclaration) {
      const match = SDK_PATTERN.exec(node.source.value);
      if (match) sdks.add(match[1].toLowerCase());
    }
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const env = envVarName(node);
      if (env) secrets.add(env);
      const path = calleePath(node);
      const last = path?.[path.length - 1] ?? (node.callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(node.callee) : null);
      if (last) {
        for (const [pattern, label] of VERIFICATION_CALLS) if (pattern.test(last)) verification.add(label);
        if (last === 'verify' && path?.join('.') === 'crypto.subtle.verify') verification.add('crypto.subtle.verify (HMAC)');
        else if (last === 'verify') verification.add('webhook.verify (svix / standardwebhooks)');
      }
      if (path?.join('.') === 'fetch') {
        const host = hostOf(node.arguments[0]);
        if (host) hosts.add(host);
      }
    }
    const isCallee = parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === node;
    if (node.type === AST_NODE_TYPES.MemberExpression && !isCallee) {
      const env = envVarName(node);
      if (env) secrets.add(env);
    }
    if (node.type === AST_NODE_TYPES.NewExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'URL') {
      const host = hostOf(node.arguments[0]);
      if (host) hosts.add(host);
    }
  });

  return {
    handlers: discovery.handlers.map((h) => h.form),
    verification: [...verification].sort(),
    tablesRead: [...read].sort(),
    tablesWritten: [...written].sort(),
    rpc: [...rpc].sort(),
    clients: [...new Set(clients.queries.map((q) => q.client))].sort(),
    hosts: [...hosts].sort(),
    secrets: [...secrets].sort(),
    sdks: [...sdks].sort(),
  };
}

/** Host of a literal or template URL: `https://api.resend.com/emails`, `` `https://graph.facebook.com/v19.0/${id}` ``. */
function hostOf(node: TSESTree.Node | undefined): string | null {
  if (!node) return null;
  let text = stringValue(node);
  if (text === null && node.type === AST_NODE_TYPES.TemplateLiteral) text = node.quasis[0]?.value.cooked ?? null;
  if (!text) return null;
  const match = /^https?:\/\/([^/:?#$]+)/i.exec(text);
  return match ? match[1].toLowerCase() : null;
}

/** Parses module text (TS/JS/JSX) and maps it; null when the text does not parse. */
export function inventoryOfSource(text: string, filename: string): ModuleInventory | null {
  try {
    const program = parse(text, { loc: true, range: true, sourceType: 'module', jsx: /\.[jt]sx$/.test(filename), filePath: filename }) as TSESTree.Program;
    // The analyses climb query chains through `parent`, which ESLint sets and a bare parse does not.
    walk(program, (node, parent) => {
      if (parent) (node as { parent?: TSESTree.Node }).parent = parent;
    });
    return inventoryOf(program);
  } catch {
    return null;
  }
}
