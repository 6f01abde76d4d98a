import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { readSettings } from '../settings.js';
import { calleePath, memberPath, propertyName, stringValue, unwrap } from '../analysis/ast.js';
import { envVarName } from '../analysis/supabase-clients.js';
import {
  DEFAULT_SERVER_PATHS,
  declaresServerOnly,
  detectSecrets,
  isCredentialHeader,
  isSecretLikeName,
  isUnderDir,
  looksRandom,
  maskSecret,
  matchesAnyGlob,
  projectRelativePath,
  type SecretMatch,
} from '../analysis/secrets.js';

type MessageIds = 'knownSecret' | 'highEntropy' | 'headerSecret' | 'hardcodedFallback' | 'useEnv' | 'removeFallback';
type Options = [
  {
    /** Files where test-mode keys (`sk_test_`, `whsec_`), fake JWTs and random-looking fixtures are expected. */
    testFiles?: string[];
    /** Values (exact, or `/regex/`) that are known not to be secrets. */
    allow?: string[];
    /** Extra words that make a name secret-like (`pixKey`). */
    secretNames?: string[];
    /** Files outside the functions directory that run on a server (the fix there is an env variable, not an edge function). */
    serverPaths?: string[];
    /** Minimum Shannon entropy (bits/char) for a 16+ character value in a secret-like place. */
    minEntropy?: number;
  },
];

const DEFAULT_TEST_FILES = [
  '**/*.{test,spec}.{ts,tsx,js,jsx,mts,cts,mjs,cjs}',
  '**/*_test.{ts,tsx,js,jsx,mts,mjs}',
  '**/__tests__/**',
  '**/__mocks__/**',
  '**/tests/**',
  '**/test/**',
  '**/e2e/**',
  '**/fixtures/**',
];

/** SDK constructors whose first argument is an API key. */
const SDK_WITH_KEY = /^(Stripe|Resend|OpenAI|Anthropic|Twilio|Mailgun|SendGrid|Postmark|ServerClient|MercadoPagoConfig|Groq|Mistral|GoogleGenerativeAI|GoogleGenAI)$/;

interface Place {
  /** Name the value is given (variable, property, header). */
  name: string;
  header: boolean;
  /** The `process.env.X ?? 'literal'` expression when the literal is an env fallback. */
  fallbackOf: TSESTree.LogicalExpression | null;
  fallbackEnv: string | null;
}

export default createRule<Options, MessageIds>({
  name: 'no-hardcoded-secrets',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow secrets (API keys, service-role keys, tokens, passwords) written into source code',
      gate: 'edge-function',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      knownSecret: 'hardcoded {{label}} `{{masked}}` — anyone who can read this code can use it; rotate it and {{fix}}',
      highEntropy: '`{{name}}` is set to a hardcoded secret `{{masked}}` — rotate it and {{fix}}',
      headerSecret: 'hardcoded credential `{{masked}}` sent in the `{{name}}` header — rotate it and {{fix}}',
      hardcodedFallback:
        '`{{env}}` falls back to the hardcoded {{label}} `{{masked}}` when it is unset — anyone who reads this code has it; rotate it and fail when the variable is missing',
      useEnv: 'Read it from `{{replacement}}` instead',
      removeFallback: 'Drop the hardcoded fallback and keep `{{replacement}}`',
    },
    schema: [
      {
        type: 'object',
        properties: {
          testFiles: { type: 'array', items: { type: 'string' } },
          allow: { type: 'array', items: { type: 'string' } },
          secretNames: { type: 'array', items: { type: 'string' } },
          serverPaths: { type: 'array', items: { type: 'string' } },
          minEntropy: { type: 'number', minimum: 0, maximum: 8 },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ testFiles: DEFAULT_TEST_FILES, allow: [], secretNames: [], serverPaths: DEFAULT_SERVER_PATHS, minEntropy: 3.5 }],
  },
  defaultOptions: [{ testFiles: DEFAULT_TEST_FILES, allow: [], secretNames: [], serverPaths: DEFAULT_SERVER_PATHS, minEntropy: 3.5 }],
  create(context, [options]) {
    const settings = readSettings(context);
    const sourceCode = context.sourceCode;
    const relPath = projectRelativePath(context.filename, context.cwd);
    const inFunctions = isUnderDir(relPath, settings.functionsDir);
    const inTests = matchesAnyGlob(relPath, options.testFiles ?? DEFAULT_TEST_FILES);
    const allow = (options.allow ?? []).map((a) => (a.length > 2 && a.startsWith('/') && a.lastIndexOf('/') > 0 ? new RegExp(a.slice(1, a.lastIndexOf('/')), a.slice(a.lastIndexOf('/') + 1)) : a));
    const allowed = (value: string) => allow.some((a) => (typeof a === 'string' ? a === value : a.test(value)));
    const text = sourceCode.text;
    const usesDeno = inFunctions || /\bDeno\.(env|serve)\b/.test(text);
    const serverSide =
      usesDeno || matchesAnyGlob(relPath, options.serverPaths ?? DEFAULT_SERVER_PATHS) || declaresServerOnly(sourceCode.ast, text);
    // Browser code cannot keep a secret in any variable: the fix is to move the call to an edge function.
    const browser =
      !serverSide &&
      (/\.(tsx|jsx|vue|svelte)$/.test(relPath) ||
        /\bimport\.meta\.env\b/.test(text) ||
        /^\s*['"]use client['"]/.test(text) ||
        /from\s+['"](react|react-dom|vue|svelte|@angular\/core|solid-js|preact)['"]/.test(text));
    const envAccess = (name: string) =>
      usesDeno ? `Deno.env.get('${name}')` : /\bimport\.meta\.env\b/.test(text) ? `import.meta.env.${name}` : `process.env.${name}`;
    const fixFor = (name: string) =>
      browser
        ? `move the code that needs it to an edge function under \`${settings.functionsDir}/\`, which reads it with \`Deno.env.get('${name}')\` — browser code cannot keep a secret`
        : `read it from \`${envAccess(name)}\``;

    function keep(match: SecretMatch, place: Place | null): boolean {
      if (allowed(match.value)) return false;
      if (inTests && (match.testMode || match.kind === 'jwt')) return false;
      // Browser Google keys (Maps, Firebase) are public by design and restricted by referrer;
      // only a key for a paid AI API is worth flagging in client code.
      if (match.kind === 'google' && !inFunctions && !/gemini|genai|generative|vertex|palm/i.test(place?.name ?? '')) return false;
      return true;
    }

    function check(node: TSESTree.StringLiteral | TSESTree.TemplateLiteral) {
      if (skipped(node)) return;
      const place = placeOf(node);
      const pieces: Array<{ value: string; raw: [number, number] }> =
        node.type === AST_NODE_TYPES.Literal
          ? [{ value: node.value, raw: node.range }]
          : node.quasis.map((q) => ({ value: q.value.cooked ?? q.value.raw, raw: q.range }));
      let matched = false;
      const whole = stringValue(node);
      for (const piece of pieces) {
        for (const match of detectSecrets(piece.value)) {
          // A known key that is fine here (test key in a test, browser Google key) is not re-judged by entropy.
          matched = true;
          if (!keep(match, place)) continue;
          const envName = place?.fallbackEnv ?? (place && /^[A-Z][A-Z0-9_]+$/.test(place.name) && isSecretLikeName(place.name) ? place.name : match.envName);
          const loc = whole?.trim() === match.value ? node.loc : (locOf(piece.raw, match.value) ?? node.loc);
          if (place?.fallbackOf) {
            context.report({
              node,
              loc,
              messageId: 'hardcodedFallback',
              data: { env: envName, label: match.label, masked: match.masked },
              suggest: suggestions(node, match.value, '', place),
            });
            continue;
          }
          context.report({
            node,
            loc,
            messageId: 'knownSecret',
            data: { label: match.label, masked: match.masked, fix: fixFor(envName) },
            suggest: browser ? [] : suggestions(node, match.value, envAccess(envName), place),
          });
        }
      }
      if (matched || inTests || !place) return;
      const value = whole;
      if (value === null || allowed(value) || !looksRandom(value, options.minEntropy ?? 3.5)) return;
      const envName = place.fallbackEnv ?? toEnvName(place.header ? 'API_KEY' : place.name);
      const credential = value.trim().replace(/^(?:Bearer|Basic|Token|Bot|ApiKey|Key)\s+/i, '');
      if (place.fallbackOf) {
        context.report({
          node,
          messageId: 'hardcodedFallback',
          data: { env: envName, label: 'secret', masked: maskSecret(credential) },
          suggest: suggestions(node, credential, '', place),
        });
        return;
      }
      context.report({
        node,
        messageId: place.header ? 'headerSecret' : 'highEntropy',
        data: { name: place.name, masked: maskSecret(credential), fix: fixFor(envName) },
        suggest: browser ? [] : suggestions(node, credential, envAccess(envName), place),
      });
    }

    /** Literals that are module names, object keys or type-only text. */
    function skipped(node: TSESTree.Node): boolean {
      const p = node.parent;
      if (!p) return false;
      switch (p.type) {
        case AST_NODE_TYPES.ImportDeclaration:
        case AST_NODE_TYPES.ExportAllDeclaration:
        case AST_NODE_TYPES.ExportNamedDeclaration:
        case AST_NODE_TYPES.ImportExpression:
        case AST_NODE_TYPES.TSExternalModuleReference:
        case AST_NODE_TYPES.TSModuleDeclaration:
        case AST_NODE_TYPES.ImportAttribute:
          return true;
        case AST_NODE_TYPES.Property:
        case AST_NODE_TYPES.PropertyDefinition:
        case AST_NODE_TYPES.TSPropertySignature:
        case AST_NODE_TYPES.MethodDefinition:
          return p.key === node && !p.computed;
        case AST_NODE_TYPES.ExpressionStatement:
          return 'directive' in p && typeof p.directive === 'string';
        default:
          return false;
      }
    }

    /** The name or header a literal is given, looking through `as`, `??`, `||` and `? :`. */
    function placeOf(node: TSESTree.Node): Place | null {
      let cur: TSESTree.Node = node;
      let fallbackOf: TSESTree.LogicalExpression | null = null;
      let fallbackEnv: string | null = null;
      for (let p = cur.parent; p; cur = p, p = p.parent) {
        if (p.type === AST_NODE_TYPES.LogicalExpression) {
          const env = envVarName(p.left);
          if (p.right === cur && env && (p.operator === '??' || p.operator === '||')) {
            fallbackOf = p;
            fallbackEnv = env;
          }
          continue;
        }
        if (p.type === AST_NODE_TYPES.ConditionalExpression && p.test !== cur) continue;
        if (
          p.type === AST_NODE_TYPES.TSAsExpression ||
          p.type === AST_NODE_TYPES.TSSatisfiesExpression ||
          p.type === AST_NODE_TYPES.TSNonNullExpression ||
          p.type === AST_NODE_TYPES.JSXExpressionContainer
        )
          continue;
        break;
      }
      const p = cur.parent;
      if (!p) return null;
      const named = (name: string | null, header = false): Place | null => {
        if (!name) return fallbackEnv && isSecretLikeName(fallbackEnv, options.secretNames) ? { name: fallbackEnv, header: false, fallbackOf, fallbackEnv } : null;
        if (header && isCredentialHeader(name)) return { name, header: true, fallbackOf, fallbackEnv };
        if (isSecretLikeName(name, options.secretNames) || isCredentialHeader(name) || (fallbackEnv && isSecretLikeName(fallbackEnv, options.secretNames)))
          return { name, header: false, fallbackOf, fallbackEnv };
        return null;
      };
      switch (p.type) {
        case AST_NODE_TYPES.VariableDeclarator:
          return p.init === cur && p.id.type === AST_NODE_TYPES.Identifier ? named(p.id.name) : null;
        case AST_NODE_TYPES.AssignmentExpression:
          return p.right === cur ? named(nameOf(p.left)) : null;
        case AST_NODE_TYPES.AssignmentPattern:
          return p.right === cur ? named(nameOf(p.left)) : null;
        case AST_NODE_TYPES.Property:
          return p.value === cur ? named(keyName(p), inHeaders(p)) : null;
        case AST_NODE_TYPES.PropertyDefinition:
          return p.value === cur ? named(keyName(p)) : null;
        case AST_NODE_TYPES.JSXAttribute:
          return p.name.type === AST_NODE_TYPES.JSXIdentifier ? named(p.name.name) : null;
        case AST_NODE_TYPES.BinaryExpression: {
          // `if (token !== 'a8Fj…')`, `req.headers.get('x-api-key') === 'a8Fj…'`
          if (!['===', '!==', '==', '!='].includes(p.operator)) return null;
          const other = p.left === cur ? p.right : p.left;
          const header = headerRead(other);
          return header ? named(header, true) : named(nameOf(other));
        }
        case AST_NODE_TYPES.ArrayExpression: {
          // `new Headers([['apikey', 'a8Fj…']])`
          const header = p.elements.length === 2 && p.elements[1] === cur ? stringValue(p.elements[0]) : null;
          return header && isCredentialHeader(header) ? named(header, true) : null;
        }
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression: {
          const index = p.arguments.indexOf(cur as TSESTree.CallExpressionArgument);
          const path = p.callee.type === AST_NODE_TYPES.Identifier || p.callee.type === AST_NODE_TYPES.MemberExpression ? memberPath(p.callee) : null;
          const last = path?.[path.length - 1] ?? '';
          if ((last === 'set' || last === 'append') && index === 1) {
            const header = stringValue(p.arguments[0]);
            return header && isCredentialHeader(header) ? named(header, true) : null;
          }
          if (last === 'createClient' && index === 1) return named('supabaseKey');
          if (SDK_WITH_KEY.test(last) && index === 0) return named(`${last}ApiKey`);
          if ((last === 'createHmac' && index === 1) || (last === 'sign' && index === 1 && /jwt|jsonwebtoken/i.test(path?.[0] ?? ''))) return named('signingSecret');
          return fallbackEnv ? named(null) : null;
        }
        default:
          return fallbackEnv ? named(null) : null;
      }
    }

    function suggestions(
      node: TSESTree.StringLiteral | TSESTree.TemplateLiteral,
      secret: string,
      replacement: string,
      place: Place | null,
    ): TSESLint.ReportSuggestionArray<MessageIds> {
      if (place?.fallbackOf) {
        const left = sourceCode.getText(place.fallbackOf.left);
        return [{ messageId: 'removeFallback', data: { replacement: left }, fix: (fixer) => fixer.replaceText(place.fallbackOf!, left) }];
      }
      if (node.parent?.type === AST_NODE_TYPES.TSLiteralType) return [];
      const jsx = node.parent?.type === AST_NODE_TYPES.JSXAttribute;
      const whole = stringValue(node);
      let text: string | null = null;
      let range: TSESTree.Range = node.range;
      if (whole !== null && whole.trim() === secret) {
        text = jsx ? `{${replacement}}` : replacement;
      } else if (node.type === AST_NODE_TYPES.Literal) {
        // Keep the literal's own escapes: its raw text is valid template text once `\`` and `${` are escaped.
        const inner = node.raw.slice(1, -1);
        const i = inner.indexOf(secret);
        if (i === -1) return [];
        const esc = (s: string) => s.replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
        const template = `\`${esc(inner.slice(0, i))}\${${replacement}}${esc(inner.slice(i + secret.length))}\``;
        text = jsx ? `{${template}}` : template;
      } else {
        for (const q of node.quasis) {
          const raw = sourceCode.text.slice(q.range[0], q.range[1]);
          const i = raw.indexOf(secret);
          if (i !== -1) {
            range = [q.range[0] + i, q.range[0] + i + secret.length];
            text = `\${${replacement}}`;
            break;
          }
        }
      }
      if (text === null) return [];
      const fixText = text;
      return [{ messageId: 'useEnv', data: { replacement }, fix: (fixer) => fixer.replaceTextRange(range, fixText) }];
    }

    function locOf(range: [number, number], secret: string): TSESTree.SourceLocation | null {
      const raw = sourceCode.text.slice(range[0], range[1]);
      const i = raw.indexOf(secret);
      if (i === -1) return null;
      return { start: sourceCode.getLocFromIndex(range[0] + i), end: sourceCode.getLocFromIndex(range[0] + i + secret.length) };
    }

    return {
      Literal(node) {
        if (typeof node.value === 'string') check(node as TSESTree.StringLiteral);
      },
      TemplateLiteral(node) {
        check(node);
      },
    };
  },
});

function nameOf(node: TSESTree.Node): string | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) return n.name;
  if (n.type === AST_NODE_TYPES.MemberExpression) return propertyName(n);
  if (n.type === AST_NODE_TYPES.CallExpression) {
    const path = calleePath(n);
    return path ? path[path.length - 1] : null;
  }
  return null;
}

/** `{ headers: { apikey: … } }`, `new Headers({ … })`: the object is a set of HTTP headers. */
function inHeaders(p: TSESTree.Property): boolean {
  const object = p.parent;
  const holder = object?.parent;
  if (!holder) return false;
  if (holder.type === AST_NODE_TYPES.Property && holder.value === object) return /headers$/i.test(keyName(holder) ?? '');
  if (holder.type === AST_NODE_TYPES.NewExpression) return holder.callee.type === AST_NODE_TYPES.Identifier && holder.callee.name === 'Headers';
  if (holder.type === AST_NODE_TYPES.VariableDeclarator && holder.id.type === AST_NODE_TYPES.Identifier) return /headers$/i.test(holder.id.name);
  const key = keyName(p) ?? '';
  return key.includes('-') || key === 'apikey' || key === 'Authorization';
}

function keyName(p: TSESTree.Property | TSESTree.PropertyDefinition): string | null {
  if (p.key.type === AST_NODE_TYPES.Identifier && !p.computed) return p.key.name;
  return stringValue(p.key);
}

/** `req.headers.get('x-api-key')` → `x-api-key` when it names a credential header. */
function headerRead(node: TSESTree.Node): string | null {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.CallExpression || n.callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  if (propertyName(n.callee) !== 'get') return null;
  const header = stringValue(n.arguments[0]);
  return header && isCredentialHeader(header) ? header : null;
}

/** `stripeSecretKey` → `STRIPE_SECRET_KEY`. */
function toEnvName(name: string): string {
  const env = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z]/.test(env) ? env : `SECRET_${env}`;
}
