/**
 * Secret detection for string values found in source code: credentials with a known
 * shape (Stripe, Supabase, Resend, JWTs, Meta, AWS, GitHub, Slack, OpenAI, Google,
 * private keys…) and, where the caller says the value sits in a secret-like place,
 * random-looking values measured by Shannon entropy. Placeholders, publishable keys
 * and the Supabase CLI's local-development keys are not secrets.
 *
 * Nothing here ever returns a secret whole for display: use `maskSecret`.
 */

import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';

export type SecretKind =
  | 'stripe-secret'
  | 'stripe-restricted'
  | 'stripe-webhook'
  | 'supabase-secret'
  | 'supabase-access-token'
  | 'supabase-service-role-jwt'
  | 'jwt'
  | 'resend'
  | 'meta'
  | 'aws'
  | 'github'
  | 'slack'
  | 'slack-webhook'
  | 'discord-webhook'
  | 'openai'
  | 'anthropic'
  | 'google'
  | 'sendgrid'
  | 'telegram'
  | 'mercadopago'
  | 'asaas'
  | 'private-key'
  | 'connection-string'
  | 'high-entropy';

export interface SecretMatch {
  kind: SecretKind;
  /** Human name: "Stripe live secret key". */
  label: string;
  /** The secret itself (never print it: use `masked`). */
  value: string;
  /** Offset of `value` in the text that was scanned. */
  index: number;
  /** `value` masked for display (`sk_live_…9f2c`). */
  masked: string;
  /** Environment variable the secret conventionally lives in (`STRIPE_SECRET_KEY`). */
  envName: string;
  /** True for test-mode credentials (`sk_test_`, `rk_test_`): still secrets, but normal in test files. */
  testMode: boolean;
}

interface Pattern {
  kind: SecretKind;
  regex: RegExp;
  label: (m: RegExpExecArray) => string;
  envName: string;
  /** Where the random part of the match starts (for placeholder checks); default: after `prefixOf`. */
  testMode?: (m: RegExpExecArray) => boolean;
  /** Extra check on the match (JWT payload, placeholders in structured keys). */
  accept?: (m: RegExpExecArray) => SecretKind | false;
  /** Group holding the secret when it is not the whole match (connection-string password). */
  group?: number;
}

const B = '(?<![A-Za-z0-9_])'; // left boundary: not inside a longer identifier-ish token
const E = '(?![A-Za-z0-9_])';

/**
 * Known credential shapes, most specific first. Each regex is global and scans anywhere
 * in the text (a key can sit inside `Bearer …`, a URL or a shell command).
 */
const PATTERNS: Pattern[] = [
  {
    kind: 'private-key',
    regex: /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$)/g,
    label: () => 'private key (PEM)',
    envName: 'PRIVATE_KEY',
    accept: (m) => (m[0].replace(/-----[A-Z ]+-----/g, '').replace(/\\n|\s/g, '').length >= 40 ? 'private-key' : false),
  },
  {
    kind: 'stripe-secret',
    regex: new RegExp(`${B}(sk|rk)_(live|test)_[0-9A-Za-z]{16,}${E}`, 'g'),
    label: (m) => `Stripe ${m[2]} ${m[1] === 'rk' ? 'restricted' : 'secret'} key`,
    envName: 'STRIPE_SECRET_KEY',
    testMode: (m) => m[2] === 'test',
    accept: (m) => (m[1] === 'rk' ? 'stripe-restricted' : 'stripe-secret'),
  },
  {
    kind: 'stripe-webhook',
    regex: new RegExp(`${B}whsec_[A-Za-z0-9+/=]{20,}${E}`, 'g'),
    label: () => 'webhook signing secret',
    envName: 'STRIPE_WEBHOOK_SECRET',
    // whsec_ is used by Stripe and by svix/standardwebhooks; both sign test payloads in tests.
    testMode: () => true,
  },
  {
    kind: 'supabase-secret',
    regex: new RegExp(`${B}sb_secret_[A-Za-z0-9_-]{20,}${E}`, 'g'),
    label: () => 'Supabase secret key',
    envName: 'SUPABASE_SECRET_KEY',
  },
  {
    kind: 'supabase-access-token',
    regex: new RegExp(`${B}sbp_(?:oauth_)?[A-Za-z0-9]{32,}${E}`, 'g'),
    label: () => 'Supabase personal access token',
    envName: 'SUPABASE_ACCESS_TOKEN',
  },
  {
    kind: 'jwt',
    regex: new RegExp(`${B}eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}${E}`, 'g'),
    label: () => 'JWT',
    envName: 'SUPABASE_SERVICE_ROLE_KEY',
    accept: (m) => {
      const payload = decodeJwtPayload(m[0]);
      if (!payload) return false;
      if (payload.role === 'service_role') return 'supabase-service-role-jwt';
      if (payload.role === 'anon') return false; // the anon key is public by design
      return 'jwt';
    },
  },
  {
    kind: 'resend',
    regex: new RegExp(`${B}re_[A-Za-z0-9]{6,12}_[A-Za-z0-9]{16,}${E}`, 'g'),
    label: () => 'Resend API key',
    envName: 'RESEND_API_KEY',
  },
  {
    kind: 'meta',
    regex: new RegExp(`${B}EAA[A-Za-z0-9]{60,}${E}`, 'g'),
    label: () => 'Meta / WhatsApp access token',
    envName: 'WHATSAPP_ACCESS_TOKEN',
  },
  {
    kind: 'aws',
    regex: new RegExp(`${B}(?:AKIA|ASIA)[0-9A-Z]{16}${E}`, 'g'),
    label: () => 'AWS access key id',
    envName: 'AWS_ACCESS_KEY_ID',
  },
  {
    kind: 'github',
    regex: new RegExp(`${B}(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})${E}`, 'g'),
    label: () => 'GitHub token',
    envName: 'GITHUB_TOKEN',
  },
  {
    kind: 'slack-webhook',
    regex: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/g,
    label: () => 'Slack webhook URL',
    envName: 'SLACK_WEBHOOK_URL',
  },
  {
    kind: 'slack',
    regex: new RegExp(`${B}xox[abprse]-[A-Za-z0-9-]{20,}${E}`, 'g'),
    label: () => 'Slack token',
    envName: 'SLACK_TOKEN',
  },
  {
    kind: 'discord-webhook',
    regex: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{50,}/g,
    label: () => 'Discord webhook URL',
    envName: 'DISCORD_WEBHOOK_URL',
  },
  {
    kind: 'anthropic',
    regex: new RegExp(`${B}sk-ant-[a-z0-9]+-[A-Za-z0-9_-]{40,}${E}`, 'g'),
    label: () => 'Anthropic API key',
    envName: 'ANTHROPIC_API_KEY',
  },
  {
    kind: 'openai',
    regex: new RegExp(`${B}sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}${E}`, 'g'),
    label: () => 'OpenAI-style API key',
    envName: 'OPENAI_API_KEY',
  },
  {
    kind: 'google',
    regex: new RegExp(`${B}AIza[0-9A-Za-z_-]{35}${E}`, 'g'),
    label: () => 'Google API key',
    envName: 'GOOGLE_API_KEY',
  },
  {
    kind: 'sendgrid',
    regex: new RegExp(`${B}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${E}`, 'g'),
    label: () => 'SendGrid API key',
    envName: 'SENDGRID_API_KEY',
  },
  {
    kind: 'telegram',
    regex: new RegExp(`${B}\\d{8,10}:AA[A-Za-z0-9_-]{33}${E}`, 'g'),
    label: () => 'Telegram bot token',
    envName: 'TELEGRAM_BOT_TOKEN',
  },
  {
    kind: 'mercadopago',
    regex: new RegExp(`${B}(APP_USR|TEST)-\\d{10,}-\\d{6}-[a-f0-9]{32}-\\d{6,}${E}`, 'g'),
    label: (m) => `Mercado Pago ${m[1] === 'TEST' ? 'test ' : ''}access token`,
    envName: 'MERCADOPAGO_ACCESS_TOKEN',
    testMode: (m) => m[1] === 'TEST',
  },
  {
    kind: 'asaas',
    regex: /\$aact_(?:prod_|hmlg_)?[A-Za-z0-9+/=:_$-]{40,}/g,
    label: () => 'Asaas API key',
    envName: 'ASAAS_API_KEY',
  },
  {
    kind: 'connection-string',
    regex: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?):\/\/([^:/?#@\s'"`]+):([^@\s'"`]+)@([^/:?#\s'"`]+)/g,
    label: () => 'database password in a connection string',
    envName: 'DATABASE_URL',
    group: 2,
    accept: (m) => {
      const [, user, password, host] = m;
      if (/^(localhost|127\.0\.0\.1|0\.0\.0\.0|host\.docker\.internal|db|postgres|supabase_db_\w+|\[::1\])$/i.test(host)) return false;
      if (password === user || /^(postgres|password|pass|secret|root|admin)$/i.test(password)) return false;
      if (/^[[<{$]|\]$/.test(password) || password.includes('${')) return false; // [YOUR-PASSWORD], <password>, ${PASS}
      return 'connection-string';
    },
  },
];

/** Prefixes kept visible by `maskSecret` (they say what the key is, not what it opens). */
const MASK_PREFIXES = [
  /^(?:sk|rk|pk)_(?:live|test)_/,
  /^whsec_/,
  /^sb_secret_/,
  /^sb_publishable_/,
  /^sbp_(?:oauth_)?/,
  /^re_/,
  /^eyJ/,
  /^EAA/,
  /^(?:AKIA|ASIA)/,
  /^gh[pousr]_/,
  /^github_pat_/,
  /^xox[abprse]-/,
  /^sk-ant-[a-z0-9]+-/,
  /^sk-(?:proj-|svcacct-|admin-)?/,
  /^AIza/,
  /^SG\./,
  /^(?:APP_USR|TEST)-/,
  /^\$aact_(?:prod_|hmlg_)?/,
  /^-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----/,
  /^https:\/\/hooks\.slack\.com\/services\//,
  /^https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\//,
];

/**
 * `sk_live_51Hx…9f2c`-style display form: the known prefix is kept, the middle elided,
 * the last 4 characters kept. Secrets too short to hide anything behind 4 visible
 * characters (fewer than 12 after the prefix) are fully masked.
 */
export function maskSecret(value: string): string {
  const trimmed = value.trim();
  let prefix = '';
  for (const p of MASK_PREFIXES) {
    const m = p.exec(trimmed);
    if (m) {
      prefix = m[0];
      break;
    }
  }
  const body = trimmed.slice(prefix.length).replace(/[\s=]+$/, '');
  if (body.length < 12) return prefix ? `${prefix}…` : '****';
  const tail = body.replace(/-----END [A-Z ]+-----$/, '').replace(/(?:\\n|\s)+$/, '').slice(-4);
  return `${prefix}…${tail}`;
}

/** The Supabase CLI's well-known local-development keys (public, identical on every machine). */
const LOCAL_DEV_KEYS = new Set([
  'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz',
  'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH',
]);
/** Keys published in vendor documentation as examples (they open nothing of yours). */
const DOCUMENTED_EXAMPLE_KEYS = new Set([
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc', // Stripe docs
  'AKIAIOSFODNN7EXAMPLE', // AWS docs
]);

/** True for the Supabase CLI's local keys: the `supabase-demo` JWTs and the fixed local `sb_secret_`/`sb_publishable_` keys. */
export function isLocalDevKey(value: string): boolean {
  if (LOCAL_DEV_KEYS.has(value)) return true;
  if (value.startsWith('eyJ')) {
    const payload = decodeJwtPayload(value);
    return payload?.iss === 'supabase-demo';
  }
  return false;
}

/** Payload of a JWT (`header.payload.signature`, base64url), or null when it is not one. */
export function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = Buffer.from(b64 + '='.repeat((4 - (b64.length % 4)) % 4), 'base64').toString('utf8');
    const payload: unknown = JSON.parse(json);
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const PLACEHOLDER_WORDS =
  /x{3,}|\*{3,}|\.{3}|…|<|>|\{\{|\$\{|your|example|placeholder|change_?-?me|replace|dummy|fake|sample|insert|redacted|secret_?here|key_?here|token_?here|aqui|sua_?chave|seu_?token|lorem|foobar|mock|todo|fixme|undefined|null|^test$|^testing|xyz123|abc123|123456|qwerty/i;

/**
 * Placeholder or demo values: `your-api-key`, `sk_test_xxx`, `changeme`, `<token>`,
 * `0000…`, `abcdef…`, runs of one character.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  // One character dominating (`aaaaaaaa`, `sk_test_00000000…`).
  const counts = new Map<string, number>();
  for (const ch of v) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const max = Math.max(...counts.values());
  if (v.length >= 6 && max / v.length > 0.4) return true;
  return isAlphabetRun(v);
}

/** `abcdefghij…`, `0123456789`, `ABCDEF…`: character sets, not keys. */
function isAlphabetRun(v: string): boolean {
  if (v.length < 8) return false;
  let steps = 0;
  for (let i = 1; i < v.length; i++) if (v.charCodeAt(i) - v.charCodeAt(i - 1) === 1) steps++;
  return steps / (v.length - 1) > 0.5;
}

/** Body of a prefixed key (what follows its known prefix), for placeholder checks. */
function bodyOf(value: string): string {
  for (const p of MASK_PREFIXES) {
    const m = p.exec(value);
    if (m) return value.slice(m[0].length);
  }
  return value;
}

/**
 * Every secret with a known shape in `text`, in order. Placeholders, anon/publishable
 * keys, documented example keys and the Supabase CLI's local keys are left out.
 */
export function detectSecrets(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  if (text.length < 16) return found;
  const taken: Array<[number, number]> = [];
  for (const pattern of PATTERNS) {
    pattern.regex.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.regex.exec(text)) !== null) {
      const whole = m[0];
      const start = m.index;
      if (taken.some(([s, e]) => start < e && start + whole.length > s)) continue;
      const accepted = pattern.accept ? pattern.accept(m) : pattern.kind;
      if (!accepted) continue;
      const value = pattern.group ? m[pattern.group] : whole;
      const index = pattern.group ? start + whole.indexOf(value, whole.indexOf('://') + 3) : start;
      if (isLocalDevKey(value) || DOCUMENTED_EXAMPLE_KEYS.has(value)) continue;
      if (accepted !== 'private-key' && accepted !== 'connection-string' && !accepted.startsWith('supabase-service') && accepted !== 'jwt') {
        if (isPlaceholder(bodyOf(value))) continue;
      }
      if (accepted === 'private-key' && /\.{3}|…|<|your|example/i.test(value.slice(0, 120))) continue;
      taken.push([start, start + whole.length]);
      found.push({
        kind: accepted,
        label: accepted === 'supabase-service-role-jwt' ? 'Supabase service-role key (JWT)' : pattern.label(m),
        value,
        index,
        masked: maskSecret(value),
        envName: accepted === 'jwt' ? 'SUPABASE_ACCESS_TOKEN' : pattern.envName,
        testMode: pattern.testMode ? pattern.testMode(m) : false,
      });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The first secret with a known shape in `text`, or null. */
export function detectSecret(text: string): SecretMatch | null {
  return detectSecrets(text)[0] ?? null;
}

/** `text` with every detected secret replaced by its masked form (for reports, logs, snippets). */
export function maskSecretsIn(text: string): string {
  let out = '';
  let last = 0;
  for (const s of detectSecrets(text)) {
    out += text.slice(last, s.index) + s.masked;
    last = s.index + s.value.length;
  }
  return out + text.slice(last);
}

/** Publishable keys and the anon key: meant to ship to browsers. */
export function isPublishableKey(value: string): boolean {
  const v = value.trim();
  if (/^(pk_(live|test)_|sb_publishable_)/.test(v)) return true;
  if (v.startsWith('eyJ')) return decodeJwtPayload(v)?.role === 'anon';
  return false;
}

const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORDS = /^[A-Za-z]+(?:[-_.:/, ][A-Za-z]+)*$/;

/**
 * A value that looks randomly generated (a token or password) rather than a name, a
 * sentence, a URL, a path, a UUID, a colour, a content hash or a placeholder. Only
 * meaningful for values already known to sit in a secret-like place.
 */
export function looksRandom(raw: string, minEntropy = 3.5): boolean {
  let v = raw.trim();
  // `Bearer abc…`, `Basic dXNl…`, `Token abc…`: judge the credential after the scheme.
  const scheme = /^(?:Bearer|Basic|Token|Bot|ApiKey|Key)\s+(\S+)$/i.exec(v);
  if (scheme) v = scheme[1];
  if (v.length < 8 || v.length > 1000) return false;
  if (/\s/.test(v)) return false; // sentences, headers with spaces
  if (ENV_NAME.test(v)) return false; // `STRIPE_SECRET_KEY`: the name of a secret
  if (WORDS.test(v)) return false; // `access_token`, `x-api-key`, `auth.token.expired`
  if (UUID.test(v)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^(data|blob|mailto|tel):/i.test(v)) return false;
  if (/^(\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v)) return false; // paths
  if (/^#?[0-9a-f]{3,8}$/i.test(v) && v.length <= 9) return false; // colours
  if (/^(sha(1|256|384|512)|md5)-/i.test(v)) return false; // subresource integrity
  if (/^[\d\s.,:/_-]+$/.test(v)) return false; // numbers, dates, versions
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(v)) return false; // e-mail address
  if (/^[A-Za-z]+(?:[A-Z][a-z]+)+$/.test(v)) return false; // camelCase identifier
  if (isPublishableKey(v) || isLocalDevKey(v)) return false;
  if (isPlaceholder(v)) return false;
  const h = shannonEntropy(v);
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
  if (/^[0-9a-f]+$/i.test(v)) return v.length >= 24 && h >= 3.0; // hex tokens
  if (v.length >= 16) return h >= minEntropy && classes >= 2;
  // Short values (passwords): need variety of characters to not be a word.
  return classes >= 3 && h >= 2.75;
}

const SECRET_WORDS = new Set([
  'secret', 'secrets', 'secreto', 'secreta', 'segredo', 'token', 'tokens', 'apikey', 'password', 'passwd', 'pwd',
  'passphrase', 'senha', 'credential', 'credentials', 'credencial', 'credenciais', 'privatekey', 'accesskey', 'bearer',
  'signingkey', 'webhooksecret', 'clientsecret', 'authkey', 'servicekey', 'secretkey', 'jwtsecret', 'pat',
]);
/** Words that, next to `key` or `chave`, make it a credential. */
const KEY_QUALIFIERS = new Set(['api', 'private', 'privada', 'secret', 'secreta', 'access', 'acesso', 'auth', 'service', 'signing', 'encryption', 'master', 'license', 'licenca', 'webhook', 'hmac', 'jwt', 'client', 'admin', 'role', 'stripe', 'resend', 'openai', 'whatsapp', 'meta', 'twilio', 'sendgrid']);
/** Words that make a secret-like name a name *about* a secret (its type, header, env var, storage key…). */
const VETO_WORDS = new Set([
  'type', 'types', 'name', 'names', 'nome', 'url', 'uri', 'endpoint', 'path', 'route', 'expires', 'expiry', 'expiration', 'exp', 'ttl',
  'length', 'len', 'size', 'header', 'headers', 'field', 'fields', 'param', 'params', 'query', 'column', 'table', 'env', 'var',
  'prefix', 'suffix', 'label', 'placeholder', 'message', 'msg', 'mensagem', 'error', 'erro', 'regex', 'pattern', 'format', 'count',
  'min', 'max', 'hash', 'hashed', 'hint', 'storage', 'cookie', 'id', 'ids', 'event', 'status', 'policy', 'rule', 'rules', 'input',
  'visible', 'show', 'mostrar', 'confirm', 'confirmation', 'reset', 'forgot', 'strength', 'valid', 'invalid', 'is', 'has', 'should',
  'text', 'title', 'description', 'icon', 'class', 'style', 'key' /* tokenKey = storage key name */, 'ref', 'link', 'file',
]);

/** Words of an identifier: `stripeApiKey` → [stripe, api, key], `SENHA_ADMIN` → [senha, admin]. */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * A name that says its value is a credential: `secret`, `token`, `apiKey`, `api_key`,
 * `password`, `senha`, `chave_api`, `private_key`, `clientSecret`… but not a name about
 * one (`tokenType`, `passwordLabel`, `apiKeyHeader`, `secretName`).
 */
export function isSecretLikeName(name: string, extra: readonly string[] = []): boolean {
  // Pure, and asked for the same names in every file: answers without extra words are cached.
  if (extra.length > 0) return secretLikeName(name, extra);
  let answer = secretLikeNames.get(name);
  if (answer === undefined) {
    if (secretLikeNames.size >= 50_000) secretLikeNames.clear();
    answer = secretLikeName(name, extra);
    secretLikeNames.set(name, answer);
  }
  return answer;
}

const secretLikeNames = new Map<string, boolean>();

function secretLikeName(name: string, extra: readonly string[]): boolean {
  const words = splitWords(name);
  if (words.length === 0) return false;
  const joined = words.join('');
  if (extra.some((e) => joined.includes(e.toLowerCase().replace(/[^a-z0-9]/g, '')))) return true;
  let secret = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (SECRET_WORDS.has(w)) secret = true;
    if ((w === 'key' || w === 'keys' || w === 'chave') && (KEY_QUALIFIERS.has(words[i - 1] ?? '') || KEY_QUALIFIERS.has(words[i + 1] ?? ''))) secret = true;
  }
  if (!secret) return false;
  // The last word decides what the name holds: `apiKeyHeader` holds a header name, `tokenKey` a storage key.
  const last = words[words.length - 1];
  if (VETO_WORDS.has(last) && !(last === 'key' && KEY_QUALIFIERS.has(words[words.length - 2] ?? ''))) return false;
  if (words.length > 1 && (words[0] === 'is' || words[0] === 'has' || words[0] === 'show' || words[0] === 'should')) return false;
  return true;
}

/** Header names whose values are credentials. */
export function isCredentialHeader(name: string): boolean {
  return /^(apikey|api[-_]?key|x[-_]api[-_]?key|authorization|proxy-authorization|x[-_]auth[-_]token|x[-_]access[-_]token|access[-_]token|x[-_]api[-_]token|api[-_]token|x[-_]secret|x[-_]webhook[-_]secret|x[-_]supabase[-_]api[-_]key|private[-_]token)$/i.test(
    name,
  );
}

// ── Where a file runs ─────────────────────────────────────────────────────────────
// Both secret rules ask whether a file is an edge function, server-only code, a test,
// or code that ends up in a browser bundle.

/** `filename` relative to `cwd`, with forward slashes (unchanged when it is not under `cwd`). */
export function projectRelativePath(filename: string, cwd: string): string {
  const f = filename.replace(/\\/g, '/');
  const c = cwd.replace(/\\/g, '/').replace(/\/+$/, '');
  return c && f.startsWith(`${c}/`) ? f.slice(c.length + 1) : f.replace(/^\.\//, '');
}

/** True when the path has the directory sequence `dir/` at any depth (`apps/api/supabase/functions/x.ts`). */
export function isUnderDir(relPath: string, dir: string): boolean {
  const d = dir.replace(/\\/g, '/').replace(/^\.?\/+|\/+$/g, '');
  if (!d) return false;
  return `/${relPath}`.includes(`/${d}/`);
}

const globCache = new Map<string, RegExp>();

/**
 * Minimal glob: `**` any number of directories, `*` and `?` within one segment, `{a,b}`
 * alternatives. A pattern without a leading `/` matches at any depth, like `.gitignore`.
 */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  let g = glob.replace(/\\/g, '/');
  const anchored = g.startsWith('/');
  g = g.replace(/^\/+/, '').replace(/^\*\*\//, '');
  let out = '';
  for (let i = 0; i < g.length; i++) {
    const ch = g[i];
    if (ch === '*') {
      if (g[i + 1] === '*') {
        const slash = g[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '{') {
      const end = g.indexOf('}', i);
      if (end === -1) out += '\\{';
      else {
        out += `(?:${g.slice(i + 1, end).split(',').map((a) => a.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('|')})`;
        i = end;
      }
    } else out += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const re = new RegExp(`${anchored ? '^' : '(?:^|/)'}${out}${g.endsWith('/') ? '' : '(?:/.*)?'}$`);
  globCache.set(glob, re);
  return re;
}

export function matchesAnyGlob(relPath: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(relPath));
}

/**
 * Files outside the functions directory that never reach a browser: route handlers and
 * API routes, server directories, Node scripts, Supabase tooling, tests. Config files
 * (`vite.config.ts`, `next.config.js`) are deliberately not here: they are where a
 * secret gets `define`d into the bundle.
 */
export const DEFAULT_SERVER_PATHS = [
  // Next.js route handlers and API routes; Astro/SvelteKit endpoints
  '**/app/**/route.{ts,js,mts,mjs}',
  '**/pages/api/**',
  '**/+server.{ts,js}',
  '**/*.server.{ts,tsx,js,jsx,mts,mjs}',
  '**/*{-,_}server.{ts,js,mts,mjs}',
  '**/server.{ts,js,mts,mjs}',
  // server directories of Nuxt, Vercel/Netlify functions, plain back ends
  '**/server/**',
  '/api/**',
  '**/netlify/functions/**',
  '**/backend/**',
  // Node scripts, seeds, Supabase tooling, tests
  '**/scripts/**',
  '**/*.cjs',
  '**/test-*.{ts,js,mts,mjs}',
  '**/supabase/**',
  '**/*.{test,spec}.{ts,tsx,js,jsx,mts,mjs}',
  '**/__tests__/**',
  '**/tests/**',
  '**/test/**',
  '**/e2e/**',
];

/** Modules whose imports say they run on a server: Node built-ins, server frameworks, `dotenv`. */
const SERVER_MODULES =
  /^(node:.*|fs|fs\/promises|path|child_process|os|http|https|net|dotenv(\/config)?|@vercel\/node|next\/server|next\/headers|express|fastify|koa|@netlify\/functions|@google-cloud\/functions-framework|firebase-functions(\/.*)?|firebase-admin(\/.*)?|server-only|next\/server-only)$/;

/**
 * Code that never reaches a browser bundle, by its own text: `import 'server-only'`, the
 * `"use server"` directive, a shebang (`#!/usr/bin/env node`, `deno run`), Deno APIs
 * (no browser has `Deno`), Node built-ins or server frameworks among its imports.
 */
export function declaresServerOnly(program: TSESTree.Program, text = ''): boolean {
  if (/^\uFEFF?#!/.test(text) || /^\s*\/\/\/\s*<reference\s+lib="deno\.(ns|window)"/m.test(text) || /\bDeno\.(env|serve|args|readTextFile|Command)\b/.test(text)) return true;
  return program.body.some(
    (s) =>
      (s.type === AST_NODE_TYPES.ImportDeclaration && SERVER_MODULES.test(s.source.value)) ||
      (s.type === AST_NODE_TYPES.ExpressionStatement && s.directive === 'use server'),
  );
}
