import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { readSettings } from '../settings.js';
import { calleePath, memberPath, propertyName, stringValue, unwrap } from '../analysis/ast.js';
import { envVarName } from '../analysis/supabase-clients.js';
import { DEFAULT_SERVER_PATHS, declaresServerOnly, detectSecrets, isUnderDir, matchesAnyGlob, projectRelativePath } from '../analysis/secrets.js';

type MessageIds = 'serviceRoleEnv' | 'publicServiceRoleEnv' | 'serviceRoleLiteral' | 'adminApi';
type Options = [
  {
    /**
     * Files outside the functions directory that never reach a browser (API routes,
     * server actions, scripts, tests). Reading the key there is fine; a public-prefixed
     * name is still reported, because the bundler exposes it wherever it is read.
     */
    serverPaths?: string[];
    /** Env name prefixes that bundlers inline into client code. */
    publicPrefixes?: string[];
  },
];

export const DEFAULT_PUBLIC_PREFIXES = ['VITE_', 'NEXT_PUBLIC_', 'EXPO_PUBLIC_', 'PUBLIC_', 'REACT_APP_', 'NUXT_PUBLIC_', 'NUXT_ENV_', 'GATSBY_', 'VUE_APP_'];

const BUNDLERS: Record<string, string> = {
  VITE_: 'Vite',
  NEXT_PUBLIC_: 'Next.js',
  EXPO_PUBLIC_: 'Expo',
  PUBLIC_: 'the framework (SvelteKit, Astro)',
  REACT_APP_: 'Create React App',
  NUXT_PUBLIC_: 'Nuxt',
  NUXT_ENV_: 'Nuxt',
  GATSBY_: 'Gatsby',
  VUE_APP_: 'Vue CLI',
};

/** `SUPABASE_SERVICE_ROLE_KEY`, `SUPABASE_SECRET_KEY`, `VITE_SUPABASE_SERVICE_ROLE`, `supabaseServiceRoleKey`… */
export function isServiceRoleEnvName(name: string): boolean {
  const n = name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return /SERVICEROLE/.test(n) || /SUPABASE\w*(SECRETKEY|SERVICEKEY|JWTSECRET)/.test(n) || /SUPABASE(SECRET|ADMINKEY)$/.test(n);
}

export default createRule<Options, MessageIds>({
  name: 'no-service-role-in-client',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow the Supabase service-role / secret key and the Auth admin API outside edge functions and server-only code',
      gate: 'edge-function',
      recommended: true,
    },
    messages: {
      serviceRoleEnv:
        'reads `{{name}}` in client code — the service-role key bypasses RLS for whoever holds it; use it only in edge functions (`{{functionsDir}}/`) or server-only files',
      publicServiceRoleEnv:
        '`{{name}}` puts the service-role key behind the public prefix `{{prefix}}`: {{bundler}} inlines it into the browser bundle, where anyone can read it and bypass RLS — rename it without the prefix, rotate the key, and use it only in edge functions',
      serviceRoleLiteral:
        'hardcoded {{label}} `{{masked}}` in client code — anyone who reads the bundle can bypass RLS with it; rotate it and use it only in edge functions (`{{functionsDir}}/`)',
      adminApi:
        'calls `{{call}}` in client code — the Auth admin API needs the service-role key; move this call to an edge function (`{{functionsDir}}/`) that checks the caller first',
    },
    schema: [
      {
        type: 'object',
        properties: {
          serverPaths: { type: 'array', items: { type: 'string' } },
          publicPrefixes: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ serverPaths: DEFAULT_SERVER_PATHS, publicPrefixes: DEFAULT_PUBLIC_PREFIXES }],
  },
  defaultOptions: [{ serverPaths: DEFAULT_SERVER_PATHS, publicPrefixes: DEFAULT_PUBLIC_PREFIXES }],
  create(context, [options]) {
    const { functionsDir } = readSettings(context);
    const relPath = projectRelativePath(context.filename, context.cwd);
    // Edge functions are where the key belongs.
    if (isUnderDir(relPath, functionsDir)) return {};
    const prefixes = [...(options.publicPrefixes ?? DEFAULT_PUBLIC_PREFIXES)].sort((a, b) => b.length - a.length);
    // `import 'server-only'` and the `"use server"` directive mark code that never ships to the browser.
    const serverOnly = matchesAnyGlob(relPath, options.serverPaths ?? DEFAULT_SERVER_PATHS) || declaresServerOnly(context.sourceCode.ast, context.sourceCode.text);
    const dir = functionsDir.replace(/\/+$/, '');
    /** Identifiers bound to an env object (`const env = import.meta.env`). */
    const envAliases = new Set<string>();

    function reportEnv(node: TSESTree.Node, name: string) {
      if (!isServiceRoleEnvName(name)) return;
      const prefix = prefixes.find((p) => name.startsWith(p));
      if (prefix) {
        context.report({ node, messageId: 'publicServiceRoleEnv', data: { name, prefix, bundler: BUNDLERS[prefix] ?? 'the bundler' } });
      } else if (!serverOnly) {
        context.report({ node, messageId: 'serviceRoleEnv', data: { name, functionsDir: dir } });
      }
    }

    function checkLiteral(node: TSESTree.Node, value: string) {
      if (serverOnly) return;
      for (const match of detectSecrets(value)) {
        if (match.kind !== 'supabase-service-role-jwt' && match.kind !== 'supabase-secret') continue;
        context.report({ node, messageId: 'serviceRoleLiteral', data: { label: match.label, masked: match.masked, functionsDir: dir } });
      }
    }

    return {
      MemberExpression(node) {
        if (node.parent?.type === AST_NODE_TYPES.MemberExpression && node.parent.object === node && isEnvObject(node)) return;
        const name = envVarName(node) ?? aliasRead(node);
        if (name) reportEnv(node, name);
      },
      CallExpression(node) {
        const path = calleePath(node);
        if (path?.join('.') === 'Deno.env.get') {
          const name = stringValue(node.arguments[0]);
          if (name) reportEnv(node, name);
          return;
        }
        if (serverOnly || node.callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const chain = calleeChain(node.callee);
        const at = chain.findIndex((name, i) => name === 'auth' && chain[i + 1] === 'admin');
        // `supabase.auth.admin.generateLink(…).then(…)`: report the admin call, not the `.then`.
        if (at === -1 || chain.slice(at).includes('()')) return;
        const method = chain.slice(at + 2).join('.');
        const receiver = describeReceiver(node.callee, chain.length - at);
        context.report({
          node,
          messageId: 'adminApi',
          data: { call: `${receiver}auth.admin${method ? `.${method}` : ''}()`, functionsDir: dir },
        });
      },
      VariableDeclarator(node) {
        if (!node.init) return;
        const init = unwrap(node.init);
        if (!isEnvObject(init)) return;
        if (node.id.type === AST_NODE_TYPES.Identifier) {
          envAliases.add(node.id.name);
          return;
        }
        if (node.id.type !== AST_NODE_TYPES.ObjectPattern) return;
        // const { VITE_SUPABASE_SERVICE_ROLE_KEY } = import.meta.env
        for (const prop of node.id.properties) {
          if (prop.type !== AST_NODE_TYPES.Property) continue;
          const name = prop.key.type === AST_NODE_TYPES.Identifier && !prop.computed ? prop.key.name : stringValue(prop.key);
          if (name) reportEnv(prop.key, name);
        }
      },
      ImportDeclaration(node) {
        // SvelteKit: `$env/static/public` is bundled; `$env/static/private` refuses to load in client code.
        if (!/^\$env\/(static|dynamic)\/public$/.test(node.source.value)) return;
        for (const spec of node.specifiers) {
          if (spec.type !== AST_NODE_TYPES.ImportSpecifier) continue;
          const name = spec.imported.type === AST_NODE_TYPES.Identifier ? spec.imported.name : spec.imported.value;
          if (isServiceRoleEnvName(name)) {
            context.report({ node: spec, messageId: 'publicServiceRoleEnv', data: { name, prefix: prefixes.find((p) => name.startsWith(p)) ?? 'PUBLIC_', bundler: 'SvelteKit' } });
          }
        }
      },
      Literal(node) {
        if (typeof node.value === 'string' && node.value.length >= 40) checkLiteral(node, node.value);
      },
      TemplateElement(node) {
        const value = node.value.cooked ?? node.value.raw;
        if (value.length >= 40) checkLiteral(node, value);
      },
    };

    /** `env.SUPABASE_SERVICE_ROLE_KEY` where `env` was bound to `import.meta.env` / `process.env`. */
    function aliasRead(node: TSESTree.MemberExpression): string | null {
      const object = unwrap(node.object);
      return object.type === AST_NODE_TYPES.Identifier && envAliases.has(object.name) ? propertyName(node) : null;
    }
  },
});

/** `process.env`, `import.meta.env`, `Deno.env.toObject()`. */
function isEnvObject(node: TSESTree.Node): boolean {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.CallExpression) return calleePath(n)?.join('.') === 'Deno.env.toObject';
  const path = memberPath(n);
  const joined = path?.join('.');
  return joined === 'process.env' || joined === 'import.meta.env';
}

/** Property names of a callee, outermost last, calls as `()`: `a.b().auth.admin.createUser` → ['b', '()', 'auth', 'admin', 'createUser']. */
function calleeChain(callee: TSESTree.MemberExpression): string[] {
  const names: string[] = [];
  let cur: TSESTree.Node = callee;
  for (;;) {
    const n = unwrap(cur);
    if (n.type === AST_NODE_TYPES.MemberExpression) {
      names.unshift(propertyName(n) ?? '?');
      cur = n.object;
    } else if (n.type === AST_NODE_TYPES.CallExpression) {
      cur = n.callee;
      names.unshift('()');
    } else break;
  }
  return names;
}

/** Short text for what `.auth.admin` hangs off (`supabase.`, `adminClient.`), or `…` for long chains. */
function describeReceiver(callee: TSESTree.MemberExpression, depthFromAuth: number): string {
  let cur: TSESTree.Node = callee;
  for (let i = 0; i < depthFromAuth; i++) {
    const n = unwrap(cur);
    if (n.type !== AST_NODE_TYPES.MemberExpression) break;
    cur = n.object;
  }
  const path = memberPath(cur);
  return path && path.join('.').length <= 30 ? `${path.join('.')}.` : '….';
}
