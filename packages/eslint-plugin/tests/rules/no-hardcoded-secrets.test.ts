import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/no-hardcoded-secrets.js';

const ruleTester = new RuleTester({ languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } });
const fn = (name: string, file = 'index.ts') => `supabase/functions/${name}/${file}`;
const lines = (...l: string[]) => l.join('\n');

// Fake credentials with real shapes (random bodies; they open nothing).
const jwt = (payload: object) =>
  `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.Jq3vW0bYk2nQx7LmC9pR4sT6uV8wZ1aB3cD5eF7gH9i`;
const SERVICE_JWT = jwt({ iss: 'supabase', ref: 'xyzclinicaref1234567', role: 'service_role', iat: 1700000000, exp: 2015576000 });
const ANON_JWT = jwt({ iss: 'supabase', ref: 'xyzclinicaref1234567', role: 'anon', iat: 1700000000, exp: 2015576000 });
const DEMO_SERVICE_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';
const STRIPE_LIVE = 'sk_live_51NyDetSBprZc1ArkSvWBrWbsP9f2c';
const STRIPE_TEST = 'sk_test_51trNeKf6381J9UPqKe8ChK6Ep';
const WHSEC = 'whsec_IMLQs2hNLfgeLV86mIC3X9CstMRzq3hc';
const RESEND = 're_Gx7sK2pQ_8VmZ3nR5tY1wB4cD6fH9jL0aE2';
const META = 'EAAGm0PX4ZCpsBAKZBfLpYIGMucAwdLAq7TYBYyrcLAyRWxE7JMif7ktJb95OmgLLxAO2JhvYJjwgWnn746ErIdd9u8zI8TcFe';
const OPENAI = 'sk-proj-fLpYIGMucAwdLAq7TYBYyrcLAyRWxE7JMif7ktJb95Om';
const SB_SECRET = 'sb_secret_k2JdP0xQm8Rt5VbN3yLz7A_c4HfWg1Es';
const GITHUB = 'ghp_nyDetSBprZc1ArkSvWBrWbsPtrNeKf6381J9';
const RANDOM = 'a8Fj3kLq9ZxP2mVn7RtYw4Bc9dE';

ruleTester.run('no-hardcoded-secrets', rule, {
  valid: [
    // Read from the environment.
    {
      filename: fn('stripe-webhook'),
      code: lines(
        `import Stripe from 'npm:stripe@14';`,
        `const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!, { apiVersion: '2024-06-20' });`,
        `Deno.serve(async (req) => new Response('ok'));`,
      ),
    },
    // The anon key and publishable keys are public by design.
    {
      filename: 'src/lib/supabase.ts',
      code: `import { createClient } from '@supabase/supabase-js';\nexport const supabase = createClient('https://xyzclinicaref.supabase.co', '${ANON_JWT}');`,
    },
    { filename: 'src/lib/stripe.ts', code: `export const stripePromise = loadStripe('pk_live_51NyDetSBprZc1ArkSvWBrWbsP9f2c');` },
    { filename: 'src/lib/supabase.ts', code: `const supabaseKey = 'sb_publishable_k2JdP0xQm8Rt5VbN3yLz7A_c4HfWg1Es';` },
    // The Supabase CLI's local keys are the same on every machine.
    { filename: 'scripts/seed-local.ts', code: `const admin = createClient('http://127.0.0.1:54321', '${DEMO_SERVICE_JWT}');` },
    { filename: fn('_shared', 'local.ts'), code: `export const LOCAL_SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';` },
    // Placeholders and names of secrets.
    { filename: fn('enviar-email'), code: `const apiKey = Deno.env.get('RESEND_API_KEY') ?? 'your-api-key';` },
    { filename: 'src/config.ts', code: `export const stripeSecretKey = 'sk_test_xxxxxxxxxxxxxxxxxxxxxxxx';` },
    { filename: fn('pagamento'), code: `const SECRET_NAME = 'STRIPE_WEBHOOK_SECRET';\nconst secret = Deno.env.get(SECRET_NAME) ?? '';` },
    { filename: fn('chat'), code: `const apiKeyHeader = 'x-api-key';\nconst tokenType = 'Bearer';\nconst headers = { Authorization: \`Bearer \${token}\`, apikey: anonKey };` },
    { filename: 'src/pages/Login.tsx', code: `const senha = 'Senha inválida, tente novamente';\nconst passwordRegex = '^(?=.*[A-Z])(?=.*\\\\d).{8,}$';` },
    // Content, not credentials: UUIDs, integrity hashes, images, ids.
    { filename: fn('webhook-asaas'), code: `const webhookToken = '0b7c6a1e-2f3d-4e5f-8a9b-0c1d2e3f4a5b';` },
    { filename: 'src/index.tsx', code: `const script = { src: 'https://js.stripe.com/v3', integrity: 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC' };` },
    { filename: fn('gerar-pdf'), code: `const logoToken = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';` },
    { filename: fn('agendar-consulta'), code: `const requestId = '${RANDOM}';\nconsole.log({ requestId });` },
    // Test-mode keys and fake tokens in tests.
    { filename: 'supabase/functions/tests/stripe-webhook.test.ts', code: `const secret = '${WHSEC}';\nconst stripe = new Stripe('${STRIPE_TEST}');` },
    { filename: 'src/__tests__/auth.test.ts', code: `const accessToken = '${RANDOM}';` },
    // Browser Google keys (Maps, Firebase) are public and referrer-restricted.
    { filename: 'src/lib/firebase.ts', code: `export const firebaseConfig = { apiKey: 'AIzaSyD4nyDetSBprZc1ArkSvWBrWbsPtrNeKf6', authDomain: 'clinica.firebaseapp.com' };` },
    // An env fallback that is not a secret.
    { filename: 'scripts/preflight.mjs', code: `const requiredHeaders = (process.env.REQUIRED_HEADERS || 'authorization,content-type').split(',');` },
    // Allow-listed value.
    { filename: fn('whatsapp'), code: `const verifyToken = '${RANDOM}';`, options: [{ allow: [RANDOM] }] },
    // Import sources and object keys are never values.
    { filename: fn('ia'), code: `import OpenAI from 'https://esm.sh/openai@4.52.0';\nconst map = { '${RANDOM}': 1 };` },
  ],
  invalid: [
    {
      filename: fn('stripe-webhook'),
      code: lines(
        `import Stripe from 'npm:stripe@14';`,
        `const stripe = new Stripe('${STRIPE_LIVE}', { apiVersion: '2024-06-20' });`,
        `Deno.serve(async (req) => new Response('ok'));`,
      ),
      errors: [
        {
          messageId: 'knownSecret',
          line: 2,
          column: 27,
          data: { label: 'Stripe live secret key', masked: 'sk_live_…9f2c', fix: "read it from `Deno.env.get('STRIPE_SECRET_KEY')`" },
          suggestions: [
            {
              messageId: 'useEnv',
              data: { replacement: "Deno.env.get('STRIPE_SECRET_KEY')" },
              output: lines(
                `import Stripe from 'npm:stripe@14';`,
                `const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY'), { apiVersion: '2024-06-20' });`,
                `Deno.serve(async (req) => new Response('ok'));`,
              ),
            },
          ],
        },
      ],
    },
    {
      filename: fn('stripe-webhook'),
      code: lines(
        `import { serve } from 'https://deno.land/std@0.168.0/http/server.ts';`,
        `const STRIPE_WEBHOOK_SECRET = '${WHSEC}';`,
        `serve(async (req) => new Response('ok'));`,
      ),
      errors: [
        {
          messageId: 'knownSecret',
          line: 2,
          column: 31,
          suggestions: [
            {
              messageId: 'useEnv',
              output: lines(
                `import { serve } from 'https://deno.land/std@0.168.0/http/server.ts';`,
                `const STRIPE_WEBHOOK_SECRET = Deno.env.get('STRIPE_WEBHOOK_SECRET');`,
                `serve(async (req) => new Response('ok'));`,
              ),
            },
          ],
        },
      ],
    },
    {
      filename: fn('cancelar-consulta'),
      code: lines(
        `import { createClient } from 'jsr:@supabase/supabase-js@2';`,
        `const admin = createClient(Deno.env.get('SUPABASE_URL')!, '${SERVICE_JWT}');`,
      ),
      errors: [
        {
          messageId: 'knownSecret',
          line: 2,
          column: 59,
          data: { label: 'Supabase service-role key (JWT)', masked: `eyJ…${SERVICE_JWT.slice(-4)}`, fix: "read it from `Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')`" },
          suggestions: [
            {
              messageId: 'useEnv',
              output: lines(
                `import { createClient } from 'jsr:@supabase/supabase-js@2';`,
                `const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY'));`,
              ),
            },
          ],
        },
      ],
    },
    // The key inside a longer string: reported where it starts, suggestion builds a template.
    {
      filename: fn('send-email'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  const res = await fetch('https://api.resend.com/emails', {`,
        `    method: 'POST',`,
        `    headers: { Authorization: 'Bearer ${RESEND}', 'Content-Type': 'application/json' },`,
        `  });`,
        `  return new Response(null, { status: res.status });`,
        `});`,
      ),
      errors: [
        {
          messageId: 'knownSecret',
          line: 4,
          column: 39,
          data: { label: 'Resend API key', masked: 're_…0aE2', fix: "read it from `Deno.env.get('RESEND_API_KEY')`" },
          suggestions: [
            {
              messageId: 'useEnv',
              output: lines(
                `Deno.serve(async (req) => {`,
                `  const res = await fetch('https://api.resend.com/emails', {`,
                `    method: 'POST',`,
                "    headers: { Authorization: `Bearer ${Deno.env.get('RESEND_API_KEY')}`, 'Content-Type': 'application/json' },",
                `  });`,
                `  return new Response(null, { status: res.status });`,
                `});`,
              ),
            },
          ],
        },
      ],
    },
    // A WhatsApp token inside a template literal with expressions.
    {
      filename: fn('lembrete-whatsapp'),
      code: lines(
        `export default {`,
        `  async fetch(req: Request) {`,
        `    const url = \`https://graph.facebook.com/v19.0/\${phoneId}/messages?access_token=${META}\`;`,
        `    return fetch(url, { method: 'POST', body: await req.text() });`,
        `  },`,
        `};`,
      ),
      errors: [
        {
          messageId: 'knownSecret',
          line: 3,
          column: 84,
          data: { label: 'Meta / WhatsApp access token', masked: `EAA…${META.slice(-4)}`, fix: "read it from `Deno.env.get('WHATSAPP_ACCESS_TOKEN')`" },
          suggestions: [
            {
              messageId: 'useEnv',
              output: lines(
                `export default {`,
                `  async fetch(req: Request) {`,
                "    const url = `https://graph.facebook.com/v19.0/${phoneId}/messages?access_token=${Deno.env.get('WHATSAPP_ACCESS_TOKEN')}`;",
                `    return fetch(url, { method: 'POST', body: await req.text() });`,
                `  },`,
                `};`,
              ),
            },
          ],
        },
      ],
    },
    // A fallback after the env read: the suggestion drops the fallback.
    {
      filename: fn('enviar-email'),
      code: `const resendKey = Deno.env.get('RESEND_API_KEY') ?? '${RESEND}';`,
      errors: [
        {
          messageId: 'hardcodedFallback',
          line: 1,
          column: 53,
          data: { env: 'RESEND_API_KEY', label: 'Resend API key', masked: 're_…0aE2' },
          suggestions: [{ messageId: 'removeFallback', output: `const resendKey = Deno.env.get('RESEND_API_KEY');` }],
        },
      ],
    },
    // A guessable fallback for a signing secret (seen in real projects).
    {
      filename: fn('focus-nfe-webhook'),
      code: `const webhookSecret = Deno.env.get('FOCUS_WEBHOOK_SECRET') || 'clinica_focus_webhook_2024';`,
      errors: [
        {
          messageId: 'hardcodedFallback',
          line: 1,
          column: 63,
          data: { env: 'FOCUS_WEBHOOK_SECRET', label: 'secret', masked: '…2024' },
          suggestions: [{ messageId: 'removeFallback', output: `const webhookSecret = Deno.env.get('FOCUS_WEBHOOK_SECRET');` }],
        },
      ],
    },
    // High-entropy values in secret-like names, pt-BR and English.
    {
      filename: fn('painel-admin'),
      code: `const senhaAdmin = 'Cl1n1c@Sp2024!';\nDeno.serve(async () => new Response('ok'));`,
      errors: [
        {
          messageId: 'highEntropy',
          line: 1,
          column: 20,
          data: { name: 'senhaAdmin', masked: '…024!', fix: "read it from `Deno.env.get('SENHA_ADMIN')`" },
          suggestions: [{ messageId: 'useEnv', output: `const senhaAdmin = Deno.env.get('SENHA_ADMIN');\nDeno.serve(async () => new Response('ok'));` }],
        },
      ],
    },
    {
      filename: fn('integracao-laboratorio'),
      code: lines(
        `export default {`,
        `  fetch: async (req: Request) => {`,
        `    const chave_api = '${RANDOM}';`,
        `    return fetch('https://lab.example.com/resultados', { headers: { 'X-Chave': chave_api } });`,
        `  },`,
        `};`,
      ),
      errors: [
        {
          messageId: 'highEntropy',
          line: 3,
          column: 23,
          data: { name: 'chave_api', masked: '…c9dE', fix: "read it from `Deno.env.get('CHAVE_API')`" },
          suggestions: [
            {
              messageId: 'useEnv',
              output: lines(
                `export default {`,
                `  fetch: async (req: Request) => {`,
                `    const chave_api = Deno.env.get('CHAVE_API');`,
                `    return fetch('https://lab.example.com/resultados', { headers: { 'X-Chave': chave_api } });`,
                `  },`,
                `};`,
              ),
            },
          ],
        },
      ],
    },
    {
      filename: fn('api'),
      code: lines(
        `import { Hono } from 'jsr:@hono/hono';`,
        `import { sign } from 'jsr:@hono/hono/jwt';`,
        `const app = new Hono();`,
        `const jwtSecret = 'k2JdP0xQm8Rt5VbN3yLz7Ac4HfWg';`,
        `app.post('/token', async (c) => c.json({ token: await sign({ sub: '1' }, jwtSecret) }));`,
        `Deno.serve(app.fetch);`,
      ),
      errors: [{ messageId: 'highEntropy', line: 4, column: 19, suggestions: [{ messageId: 'useEnv', output: lines(
        `import { Hono } from 'jsr:@hono/hono';`,
        `import { sign } from 'jsr:@hono/hono/jwt';`,
        `const app = new Hono();`,
        `const jwtSecret = Deno.env.get('JWT_SECRET');`,
        `app.post('/token', async (c) => c.json({ token: await sign({ sub: '1' }, jwtSecret) }));`,
        `Deno.serve(app.fetch);`,
      ) }] }],
    },
    // Credential headers.
    {
      filename: fn('sync-prontuarios'),
      code: `Deno.serve({ port: 8000 }, async (req) => {\n  await fetch(url, { headers: { apikey: '${RANDOM}' } });\n  return new Response('ok');\n});`,
      errors: [
        {
          messageId: 'headerSecret',
          line: 2,
          column: 41,
          data: { name: 'apikey', masked: '…c9dE', fix: "read it from `Deno.env.get('API_KEY')`" },
          suggestions: [{ messageId: 'useEnv', output: `Deno.serve({ port: 8000 }, async (req) => {\n  await fetch(url, { headers: { apikey: Deno.env.get('API_KEY') } });\n  return new Response('ok');\n});` }],
        },
      ],
    },
    {
      filename: fn('exportar-agenda'),
      code: `const headers = new Headers();\nheaders.set('x-api-key', '${RANDOM}');`,
      errors: [{ messageId: 'headerSecret', line: 2, column: 26, suggestions: [{ messageId: 'useEnv', output: `const headers = new Headers();\nheaders.set('x-api-key', Deno.env.get('API_KEY'));` }] }],
    },
    // Comparing a request header with a literal secret.
    {
      filename: fn('webhook-evolution'),
      code: lines(
        `Deno.serve(async (req) => {`,
        `  if (req.headers.get('x-api-key') !== 'hP4qZ7mX2vN9sK3tR8wL') return new Response('forbidden', { status: 401 });`,
        `  return new Response('ok');`,
        `});`,
      ),
      errors: [{ messageId: 'headerSecret', line: 2, column: 40, suggestions: [{ messageId: 'useEnv', output: lines(
        `Deno.serve(async (req) => {`,
        `  if (req.headers.get('x-api-key') !== Deno.env.get('API_KEY')) return new Response('forbidden', { status: 401 });`,
        `  return new Response('ok');`,
        `});`,
      ) }] }],
    },
    // Client code: the suggestion uses the file's platform.
    {
      filename: 'src/server/billing.ts',
      code: `const apiVersion = process.env.STRIPE_API_VERSION;\nexport const stripe = new Stripe('${STRIPE_TEST}', { apiVersion });`,
      errors: [
        {
          messageId: 'knownSecret',
          line: 2,
          column: 34,
          data: { label: 'Stripe test secret key', masked: 'sk_test_…K6Ep', fix: 'read it from `process.env.STRIPE_SECRET_KEY`' },
          suggestions: [{ messageId: 'useEnv', output: `const apiVersion = process.env.STRIPE_API_VERSION;\nexport const stripe = new Stripe(process.env.STRIPE_SECRET_KEY, { apiVersion });` }],
        },
      ],
    },
    {
      filename: 'src/lib/ai.ts',
      code: `const model = import.meta.env.VITE_MODEL;\nexport const openai = new OpenAI({ apiKey: '${OPENAI}', dangerouslyAllowBrowser: true });`,
      errors: [
        {
          messageId: 'knownSecret',
          line: 2,
          column: 44,
          data: {
            label: 'OpenAI-style API key',
            masked: 'sk-proj-…95Om',
            fix: "move the code that needs it to an edge function under `supabase/functions/`, which reads it with `Deno.env.get('OPENAI_API_KEY')` — browser code cannot keep a secret",
          },
          suggestions: [],
        },
      ],
    },
    {
      filename: 'src/server/emails/Welcome.tsx',
      code: `export const App = () => <ResendProvider apiKey="${RESEND}" />;`,
      errors: [{ messageId: 'knownSecret', line: 1, column: 49, suggestions: [{ messageId: 'useEnv', output: `export const App = () => <ResendProvider apiKey={process.env.RESEND_API_KEY} />;` }] }],
    },
    // Browser code: an API key in component state ships to every visitor; no env suggestion.
    {
      filename: 'src/pages/whatsapp/WhatsAppPage.tsx',
      code: lines(
        `import { useState } from 'react';`,
        `export function WhatsAppPage() {`,
        `  const [settings, setSettings] = useState({ instance_name: 'clinica', api_key: '9C1F7A2E44B0-4D1C-8E3A-5B6F0A7C2D91' });`,
        `}`,
      ),
      errors: [{ messageId: 'highEntropy', line: 3, column: 81, data: { name: 'api_key', masked: '…2D91', fix: "move the code that needs it to an edge function under `supabase/functions/`, which reads it with `Deno.env.get('API_KEY')` — browser code cannot keep a secret" }, suggestions: [] }],
    },
    {
      filename: 'src/lib/admin.ts',
      code: `export const SUPABASE_SECRET_KEY = '${SB_SECRET}';`,
      errors: [{ messageId: 'knownSecret', line: 1, column: 36, data: { label: 'Supabase secret key', masked: 'sb_secret_…g1Es', fix: 'read it from `process.env.SUPABASE_SECRET_KEY`' }, suggestions: [{ messageId: 'useEnv', output: `export const SUPABASE_SECRET_KEY = process.env.SUPABASE_SECRET_KEY;` }] }],
    },
    // A live key is a leak even in a test file.
    {
      filename: 'tests/checkout.test.ts',
      code: `const stripe = new Stripe('${STRIPE_LIVE}');`,
      errors: [{ messageId: 'knownSecret', line: 1, column: 27, suggestions: [{ messageId: 'useEnv', output: `const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);` }] }],
    },
    // Class fields, parameter defaults.
    {
      filename: fn('_shared', 'github.ts'),
      code: `export class GitHubClient {\n  private readonly token = '${GITHUB}';\n}`,
      errors: [{ messageId: 'knownSecret', line: 2, column: 28, suggestions: [{ messageId: 'useEnv', output: `export class GitHubClient {\n  private readonly token = Deno.env.get('GITHUB_TOKEN');\n}` }] }],
    },
    {
      filename: fn('_shared', 'asaas.ts'),
      code: `export function asaasClient({ accessToken = '${RANDOM}' } = {}) {\n  return { accessToken };\n}`,
      errors: [{ messageId: 'highEntropy', line: 1, column: 45, suggestions: [{ messageId: 'useEnv', output: `export function asaasClient({ accessToken = Deno.env.get('ACCESS_TOKEN') } = {}) {\n  return { accessToken };\n}` }] }],
    },
    // A PEM private key in a multi-line template.
    {
      filename: fn('google-agenda'),
      code: lines(
        `const serviceAccount = {`,
        `  client_email: 'agenda@clinica.iam.gserviceaccount.com',`,
        '  private_key: `-----BEGIN PRIVATE KEY-----',
        'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7fLpYIGMucAwdLAq7',
        '-----END PRIVATE KEY-----`,',
        `};`,
      ),
      errors: [
        {
          messageId: 'knownSecret',
          line: 3,
          column: 16,
          data: { label: 'private key (PEM)', masked: '-----BEGIN PRIVATE KEY-----…LAq7', fix: "read it from `Deno.env.get('PRIVATE_KEY')`" },
          suggestions: [
            {
              messageId: 'useEnv',
              output: lines(
                `const serviceAccount = {`,
                `  client_email: 'agenda@clinica.iam.gserviceaccount.com',`,
                "  private_key: Deno.env.get('PRIVATE_KEY'),",
                `};`,
              ),
            },
          ],
        },
      ],
    },
    // Two keys in one string: both reported.
    {
      filename: 'scripts/setup.ts',
      code: `const envFile = 'STRIPE_SECRET_KEY=${STRIPE_LIVE}\\nGITHUB_TOKEN=${GITHUB}';`,
      errors: [
        { messageId: 'knownSecret', line: 1, column: 36, suggestions: [{ messageId: 'useEnv', output: `const envFile = \`STRIPE_SECRET_KEY=\${process.env.STRIPE_SECRET_KEY}\\nGITHUB_TOKEN=${GITHUB}\`;` }] },
        { messageId: 'knownSecret', line: 1, column: 89, suggestions: [{ messageId: 'useEnv', output: `const envFile = \`STRIPE_SECRET_KEY=${STRIPE_LIVE}\\nGITHUB_TOKEN=\${process.env.GITHUB_TOKEN}\`;` }] },
      ],
    },
  ],
});
