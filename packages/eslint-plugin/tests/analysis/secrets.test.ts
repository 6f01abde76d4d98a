import { describe, expect, it } from 'vitest';
import {
  decodeJwtPayload,
  detectSecret,
  detectSecrets,
  isCredentialHeader,
  isLocalDevKey,
  isPlaceholder,
  isPublishableKey,
  isSecretLikeName,
  looksRandom,
  maskSecret,
  maskSecretsIn,
  shannonEntropy,
} from '../../src/analysis/secrets.js';

// Fake credentials with real shapes (random bodies; they open nothing).
const jwt = (payload: object) =>
  `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.Jq3vW0bYk2nQx7LmC9pR4sT6uV8wZ1aB3cD5eF7gH9i`;
const SERVICE_JWT = jwt({ iss: 'supabase', ref: 'xyzclinicaref1234567', role: 'service_role', iat: 1700000000, exp: 2015576000 });
const ANON_JWT = jwt({ iss: 'supabase', ref: 'xyzclinicaref1234567', role: 'anon', iat: 1700000000, exp: 2015576000 });
const USER_JWT = jwt({ sub: '6f1c2a9e-6a43-4f0f-9d1b-2b8f0c3e7a11', role: 'authenticated', email: 'ana@clinica.com.br' });
const DEMO_SERVICE_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';
const DEMO_ANON_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
const STRIPE_LIVE = 'sk_live_51NyDetSBprZc1ArkSvWBrWbsP9f2c';
const STRIPE_TEST = 'sk_test_51trNeKf6381J9UPqKe8ChK6Ep';

describe('detectSecret: known shapes', () => {
  it.each([
    [STRIPE_LIVE, 'stripe-secret', 'Stripe live secret key'],
    [STRIPE_TEST, 'stripe-secret', 'Stripe test secret key'],
    ['rk_live_51ptIfWqSKG0uBwxIJHdfYIwVo', 'stripe-restricted', 'Stripe live restricted key'],
    ['whsec_IMLQs2hNLfgeLV86mIC3X9CstMRzq3hc', 'stripe-webhook', 'webhook signing secret'],
    ['sb_secret_k2JdP0xQm8Rt5VbN3yLz7A_c4HfWg1Es', 'supabase-secret', 'Supabase secret key'],
    ['sbp_3f9a1c7e5b2d8f0a4c6e9b1d3f5a7c9e2b4d6f8a', 'supabase-access-token', 'Supabase personal access token'],
    [SERVICE_JWT, 'supabase-service-role-jwt', 'Supabase service-role key (JWT)'],
    [USER_JWT, 'jwt', 'JWT'],
    ['re_Gx7sK2pQ_8VmZ3nR5tY1wB4cD6fH9jL0aE2', 'resend', 'Resend API key'],
    ['EAAGm0PX4ZCpsBAKZBfLpYIGMucAwdLAq7TYBYyrcLAyRWxE7JMif7ktJb95OmgLLxAO2JhvYJjwgWnn746ErIdd9u8zI8TcFe', 'meta', 'Meta / WhatsApp access token'],
    ['AKIAZ7QH2K4LMN5PRS6T', 'aws', 'AWS access key id'],
    ['ghp_nyDetSBprZc1ArkSvWBrWbsPtrNeKf6381J9', 'github', 'GitHub token'],
    ['github_pat_11ABCDEFG0nyDetSBprZc1ArkSvWBrWbsP_trNeKf6381J9UPqKe8ChK6EpIMLQs2hN', 'github', 'GitHub token'],
    ['xoxb-2048173620-4617286301-nyDetSBprZc1ArkSvWBrWbsP', 'slack', 'Slack token'],
    ['sk-proj-fLpYIGMucAwdLAq7TYBYyrcLAyRWxE7JMif7ktJb95Om', 'openai', 'OpenAI-style API key'],
    ['sk-ant-api03-fLpYIGMucAwdLAq7TYBYyrcLAyRWxE7JMif7ktJb95OmgLLxAO2J', 'anthropic', 'Anthropic API key'],
    ['AIzaSyD4nyDetSBprZc1ArkSvWBrWbsPtrNeKf6', 'google', 'Google API key'],
    ['APP_USR-5821930476152834-061215-8f2c1d9e7b6a5f4e3d2c1b0a9f8e7d6c-839201745', 'mercadopago', 'Mercado Pago access token'],
  ])('%s → %s', (value, kind, label) => {
    const found = detectSecret(value);
    expect(found?.kind).toBe(kind);
    expect(found?.label).toBe(label);
    expect(found?.value).toBe(value);
    expect(found?.masked).not.toContain(value.slice(8, -4));
  });

  it('finds a key inside a larger string and gives its offset', () => {
    const text = `curl -H "Authorization: Bearer ${STRIPE_LIVE}" https://api.stripe.com/v1/charges`;
    const found = detectSecret(text);
    expect(found?.index).toBe(text.indexOf('sk_live_'));
    expect(found?.value).toBe(STRIPE_LIVE);
  });

  it('finds a PEM private key', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7fLpYIGMucAwdLAq7\n-----END PRIVATE KEY-----\n`;
    expect(detectSecret(pem)?.kind).toBe('private-key');
    expect(detectSecret(pem)?.masked).toBe('-----BEGIN PRIVATE KEY-----…LAq7');
  });

  it('finds the password of a hosted database URL but not of a local one', () => {
    const found = detectSecret('postgresql://postgres.xyzclinicaref:Vq8#mZ2r!Lp4wXs@aws-0-sa-east-1.pooler.supabase.com:6543/postgres');
    expect(found?.kind).toBe('connection-string');
    expect(found?.value).toBe('Vq8#mZ2r!Lp4wXs');
    expect(detectSecret('postgresql://postgres:postgres@127.0.0.1:54322/postgres')).toBeNull();
    expect(detectSecret('postgresql://postgres:[YOUR-PASSWORD]@db.xyzclinicaref.supabase.co:5432/postgres')).toBeNull();
  });

  it('marks test-mode keys', () => {
    expect(detectSecret(STRIPE_TEST)?.testMode).toBe(true);
    expect(detectSecret(STRIPE_LIVE)?.testMode).toBe(false);
  });

  it('returns every secret of a text', () => {
    expect(detectSecrets(`STRIPE=${STRIPE_LIVE}\nKEY=${SERVICE_JWT}`).map((s) => s.kind)).toEqual(['stripe-secret', 'supabase-service-role-jwt']);
  });
});

describe('detectSecret: not secrets', () => {
  it.each([
    ['anon JWT', ANON_JWT],
    ['Supabase CLI demo service_role JWT', DEMO_SERVICE_JWT],
    ['Supabase CLI demo anon JWT', DEMO_ANON_JWT],
    ['Supabase CLI local secret key', 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz'],
    ['publishable Stripe key', 'pk_live_51NyDetSBprZc1ArkSvWBrWbsP9f2c'],
    ['publishable Supabase key', 'sb_publishable_k2JdP0xQm8Rt5VbN3yLz7A_c4HfWg1Es'],
    ['placeholder with x', 'sk_test_xxxxxxxxxxxxxxxxxxxxxxxx'],
    ['placeholder with words', 'sk_live_your_stripe_secret_key_here'],
    ['zeros', 'sk_test_000000000000000000000000'],
    ['alphabet', 'sk_live_abcdefghijklmnopqrstuvwxyz'],
    ['Stripe docs example key', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'],
    ['AWS docs example key', 'AKIAIOSFODNN7EXAMPLE'],
    ['identifier that starts with re_', 're_render_component_when_visible'],
    ['three-dot JWT-like text that is not JSON', 'eyJhbGciOiJIUzI1.eyJub3QganNvbiBhdC.YWxsIGhlcmUgYXQgYWxs'],
    ['empty', ''],
    ['UUID', '0b7c6a1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b'],
    ['sentence', 'Chave de API inválida: verifique o painel do Stripe'],
    ['short whsec', 'whsec_'],
    ['private key placeholder', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----'],
  ])('%s', (_, value) => {
    expect(detectSecret(value)).toBeNull();
  });
});

describe('maskSecret', () => {
  it('keeps the prefix and the last 4 characters', () => {
    expect(maskSecret(STRIPE_LIVE)).toBe('sk_live_…9f2c');
    expect(maskSecret('sb_secret_k2JdP0xQm8Rt5VbN3yLz7A_c4HfWg1Es')).toBe('sb_secret_…g1Es');
    expect(maskSecret(SERVICE_JWT)).toBe(`eyJ…${SERVICE_JWT.slice(-4)}`);
    expect(maskSecret('a8Fj3kLq9ZxP2mVn7RtY')).toBe('…7RtY');
  });
  it('fully masks short secrets', () => {
    expect(maskSecret('Cl1n1c@2024')).toBe('****');
    expect(maskSecret('re_abc123')).toBe('re_…');
  });
  it('masks every secret inside a text', () => {
    const text = `STRIPE_SECRET_KEY=${STRIPE_LIVE} and more`;
    expect(maskSecretsIn(text)).toBe('STRIPE_SECRET_KEY=sk_live_…9f2c and more');
    expect(maskSecretsIn('nothing secret here')).toBe('nothing secret here');
  });
});

describe('JWTs and local keys', () => {
  it('decodes a base64url payload', () => {
    expect(decodeJwtPayload(SERVICE_JWT)?.role).toBe('service_role');
    expect(decodeJwtPayload('not.a.jwt')).toBeNull();
  });
  it('knows the Supabase CLI local keys', () => {
    expect(isLocalDevKey(DEMO_SERVICE_JWT)).toBe(true);
    expect(isLocalDevKey('sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz')).toBe(true);
    expect(isLocalDevKey(SERVICE_JWT)).toBe(false);
  });
  it('knows publishable keys', () => {
    expect(isPublishableKey(ANON_JWT)).toBe(true);
    expect(isPublishableKey('pk_test_51trNeKf6381J9UPqKe8ChK6Ep')).toBe(true);
    expect(isPublishableKey(SERVICE_JWT)).toBe(false);
  });
});

describe('entropy and placeholders', () => {
  it('measures Shannon entropy', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
  it.each(['your-api-key', 'changeme', 'sk_test_xxx', '<token>', 'TODO', 'senha123456', 'abcdefghijklmnop'])('placeholder: %s', (v) => {
    expect(isPlaceholder(v)).toBe(true);
  });
  it.each(['a8Fj3kLq9ZxP2mVn7RtYw4Bc', 'Cl1n1c@Sp2024!', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'Basic YWRtaW46Vm44I21aMnIhTHA0'])(
    'random: %s',
    (v) => {
      expect(looksRandom(v)).toBe(true);
    },
  );
  it.each([
    'STRIPE_SECRET_KEY',
    'x-api-key',
    'access_token',
    'Bearer',
    'https://api.resend.com/emails',
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    '0b7c6a1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b',
    '#1a2b3c',
    'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC',
    'The token you sent has expired, please sign in again',
    'auth.token.expired',
    '2024-01-31T10:00:00Z',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
    'ana.souza@clinica.com.br',
    'accessTokenExpiredError',
    './secrets/service-account.json',
  ])('not random: %s', (v) => {
    expect(looksRandom(v)).toBe(false);
  });
});

describe('names and headers', () => {
  it.each(['secret', 'apiKey', 'api_key', 'API_KEY', 'stripeSecretKey', 'senha', 'senhaAdmin', 'chave_api', 'chaveSecreta', 'privateKey', 'clientSecret', 'accessToken', 'WEBHOOK_SECRET', 'password', 'jwtSecret', 'token'])(
    'secret-like: %s',
    (n) => {
      expect(isSecretLikeName(n)).toBe(true);
    },
  );
  it.each(['tokenType', 'secretName', 'apiKeyHeader', 'passwordLabel', 'key', 'chave_pix', 'tokenKey', 'isSecret', 'showPassword', 'patientId', 'tokenUrl', 'token_expires', 'senhaConfirmacaoErro', 'cacheKey'])(
    'not secret-like: %s',
    (n) => {
      expect(isSecretLikeName(n)).toBe(false);
    },
  );
  it('takes extra names', () => {
    expect(isSecretLikeName('pixChave', ['pixchave'])).toBe(true);
  });
  it('knows credential headers', () => {
    for (const h of ['apikey', 'Authorization', 'x-api-key', 'X-API-Key', 'api-key']) expect(isCredentialHeader(h)).toBe(true);
    for (const h of ['Content-Type', 'x-client-info', 'stripe-signature']) expect(isCredentialHeader(h)).toBe(false);
  });
});
