import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/no-service-role-in-client.js';

const ruleTester = new RuleTester({ languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } });
const lines = (...l: string[]) => l.join('\n');

// Fake credentials with real shapes (random bodies; they open nothing).
const jwt = (payload: object) =>
  `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.Jq3vW0bYk2nQx7LmC9pR4sT6uV8wZ1aB3cD5eF7gH9i`;
const SERVICE_JWT = jwt({ iss: 'supabase', ref: 'xyzclinicaref1234567', role: 'service_role', iat: 1700000000, exp: 2015576000 });
const ANON_JWT = jwt({ iss: 'supabase', ref: 'xyzclinicaref1234567', role: 'anon', iat: 1700000000, exp: 2015576000 });
const DEMO_SERVICE_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';
const SB_SECRET = 'sb_secret_k2JdP0xQm8Rt5VbN3yLz7A_c4HfWg1Es';

ruleTester.run('no-service-role-in-client', rule, {
  valid: [
    // Inside the functions directory the key belongs (every handler form).
    {
      filename: 'supabase/functions/stripe-webhook/index.ts',
      code: lines(
        `import { createClient } from 'npm:@supabase/supabase-js@2';`,
        `const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);`,
        `Deno.serve(async (req) => new Response('ok'));`,
      ),
    },
    {
      filename: 'supabase/functions/convidar-paciente/index.ts',
      code: `import { serve } from 'https://deno.land/std@0.168.0/http/server.ts';\nserve(async (req) => { await admin.auth.admin.inviteUserByEmail('ana@clinica.com.br'); return new Response('ok'); });`,
    },
    { filename: 'supabase/functions/_shared/admin.ts', code: `export const key = Deno.env.get('SUPABASE_SECRET_KEY');` },
    { filename: 'apps/clinica/supabase/functions/api/index.ts', code: `export default { fetch: () => new Response(Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')) };` },
    {
      filename: 'backend/functions/relatorio/index.ts',
      code: `import { Hono } from 'jsr:@hono/hono';\nconst app = new Hono();\napp.post('/', (c) => c.text(Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!));\nDeno.serve(app.fetch);`,
      settings: { supagate: { functionsDir: 'backend/functions' } },
    },
    // The anon / publishable key in the browser is fine.
    {
      filename: 'src/lib/supabase.ts',
      code: `export const supabase = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_ANON_KEY);`,
    },
    { filename: 'src/lib/supabase.ts', code: `export const supabase = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, '${ANON_JWT}');` },
    { filename: 'src/lib/supabase.ts', code: `const { VITE_SUPABASE_PUBLISHABLE_KEY } = import.meta.env;` },
    // Server-only code outside the functions directory.
    { filename: 'app/api/pacientes/route.ts', code: `const admin = createClient(url, process.env.SUPABASE_SERVICE_ROLE_KEY!);\nawait admin.auth.admin.deleteUser(id);` },
    { filename: 'src/pages/api/convites.ts', code: `const key = process.env['SUPABASE_SERVICE_ROLE_KEY'];` },
    { filename: 'src/app/actions.ts', code: `'use server';\nexport async function convidar(email: string) { await admin().auth.admin.inviteUserByEmail(email); }` },
    { filename: 'src/lib/admin.ts', code: `import 'server-only';\nexport const admin = createClient(url, process.env.SUPABASE_SECRET_KEY!);` },
    { filename: 'scripts/seed.ts', code: `const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);` },
    { filename: 'e2e/setup.ts', code: `await admin.auth.admin.createUser({ email: 'teste@clinica.com.br', password: 'x' });` },
    { filename: 'src/routes/+page.server.ts', code: `import { SUPABASE_SERVICE_ROLE_KEY } from '$env/static/private';` },
    // Server code recognised by its name, its imports, a shebang or Deno APIs (no browser has Deno).
    { filename: 'lib/supabase-server.ts', code: `export function serviceClient() { return createClient(url, process.env.SUPABASE_SERVICE_ROLE_KEY!) }` },
    { filename: 'apps/painel/api/entitlements.ts', code: `import type { VercelRequest } from '@vercel/node';\nconst key = process.env.SUPABASE_SERVICE_ROLE_KEY;` },
    { filename: 'apply-migration.ts', code: `#!/usr/bin/env -S deno run --allow-env\nconst key = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY');` },
    { filename: 'tools/backfill.ts', code: `import 'dotenv/config';\nconst admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);\nawait admin.auth.admin.listUsers();` },
    { filename: 'src/app/(admin)/lib/edge/captura/index.ts', code: `import { createClient } from 'npm:@supabase/supabase-js@2';\nconst key = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY');` },
    // A custom server path.
    { filename: 'src/edge/admin.ts', code: `const k = process.env.SUPABASE_SERVICE_ROLE_KEY;`, options: [{ serverPaths: ['src/edge/**'] }] },
    // Other auth calls, other env vars, the CLI's local demo key.
    { filename: 'src/hooks/useAuth.ts', code: `await supabase.auth.signInWithPassword({ email, password });\nconst role = process.env.NEXT_PUBLIC_ROLE_NAME;` },
    { filename: 'src/lib/local.ts', code: `export const localAdmin = createClient('http://127.0.0.1:54321', '${DEMO_SERVICE_JWT}');` },
    { filename: 'src/lib/flags.ts', code: `const user = { auth: { admin: true } };\nif (user.auth.admin) render();` },
  ],
  invalid: [
    {
      filename: 'src/lib/supabaseAdmin.ts',
      code: lines(`import { createClient } from '@supabase/supabase-js';`, `export const admin = createClient(url, process.env.SUPABASE_SERVICE_ROLE_KEY!);`),
      errors: [{ messageId: 'serviceRoleEnv', line: 2, column: 40, data: { name: 'SUPABASE_SERVICE_ROLE_KEY', functionsDir: 'supabase/functions' } }],
    },
    {
      filename: 'src/lib/supabase.ts',
      code: `export const admin = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_SERVICE_ROLE_KEY);`,
      errors: [{ messageId: 'publicServiceRoleEnv', line: 1, column: 70, data: { name: 'VITE_SUPABASE_SERVICE_ROLE_KEY', prefix: 'VITE_', bundler: 'Vite' } }],
    },
    {
      filename: 'lib/supabase.ts',
      code: `const serviceKey = process.env.NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY;`,
      errors: [{ messageId: 'publicServiceRoleEnv', line: 1, column: 20, data: { name: 'NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY', prefix: 'NEXT_PUBLIC_', bundler: 'Next.js' } }],
    },
    // A public prefix is reported even in server files: the bundler exposes it wherever it is read.
    {
      filename: 'app/api/pacientes/route.ts',
      code: `const admin = createClient(url, process.env.NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY!);`,
      errors: [{ messageId: 'publicServiceRoleEnv', line: 1, column: 33 }],
    },
    {
      filename: 'app/lib/supabase.ts',
      code: `const key = process.env.EXPO_PUBLIC_SUPABASE_SERVICE_ROLE;`,
      errors: [{ messageId: 'publicServiceRoleEnv', line: 1, column: 13, data: { name: 'EXPO_PUBLIC_SUPABASE_SERVICE_ROLE', prefix: 'EXPO_PUBLIC_', bundler: 'Expo' } }],
    },
    {
      filename: 'src/config.js',
      code: `export const chave = process.env.REACT_APP_SUPABASE_SERVICE_ROLE_KEY;`,
      errors: [{ messageId: 'publicServiceRoleEnv', line: 1, column: 22, data: { name: 'REACT_APP_SUPABASE_SERVICE_ROLE_KEY', prefix: 'REACT_APP_', bundler: 'Create React App' } }],
    },
    {
      filename: 'src/lib/supabase.ts',
      code: `const { VITE_SUPABASE_URL, VITE_SUPABASE_SERVICE_ROLE_KEY: chaveServico } = import.meta.env;`,
      errors: [{ messageId: 'publicServiceRoleEnv', line: 1, column: 28 }],
    },
    {
      filename: 'src/lib/db.ts',
      code: `const { SUPABASE_SECRET_KEY } = process.env;`,
      errors: [{ messageId: 'serviceRoleEnv', line: 1, column: 9, data: { name: 'SUPABASE_SECRET_KEY', functionsDir: 'supabase/functions' } }],
    },
    {
      filename: 'src/lib/db.ts',
      code: `const secret = process.env['SUPABASE_SERVICE_ROLE_KEY'];`,
      errors: [{ messageId: 'serviceRoleEnv', line: 1, column: 16 }],
    },
    {
      filename: 'app/admin/usuarios/page.tsx',
      code: `'use client';\nconst admin = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);`,
      errors: [{ messageId: 'serviceRoleEnv', line: 2, column: 67 }],
    },
    {
      filename: 'src/lib/env.ts',
      code: `const env = import.meta.env;\nexport const chaveAdmin = env.VITE_SERVICE_ROLE_KEY;`,
      errors: [{ messageId: 'publicServiceRoleEnv', line: 2, column: 27 }],
    },
    {
      filename: 'src/routes/admin/+page.ts',
      code: `import { PUBLIC_SUPABASE_URL, PUBLIC_SUPABASE_SERVICE_ROLE_KEY } from '$env/static/public';`,
      errors: [{ messageId: 'publicServiceRoleEnv', line: 1, column: 31, data: { name: 'PUBLIC_SUPABASE_SERVICE_ROLE_KEY', prefix: 'PUBLIC_', bundler: 'SvelteKit' } }],
    },
    // Hardcoded keys.
    {
      filename: 'src/lib/supabase.ts',
      code: `export const supabase = createClient('https://xyzclinicaref.supabase.co', '${SERVICE_JWT}');`,
      errors: [{ messageId: 'serviceRoleLiteral', line: 1, column: 75, data: { label: 'Supabase service-role key (JWT)', masked: `eyJ…${SERVICE_JWT.slice(-4)}`, functionsDir: 'supabase/functions' } }],
    },
    {
      filename: 'src/lib/supabase.ts',
      code: `const SUPABASE_KEY = '${SB_SECRET}';`,
      errors: [{ messageId: 'serviceRoleLiteral', line: 1, column: 22, data: { label: 'Supabase secret key', masked: 'sb_secret_…g1Es', functionsDir: 'supabase/functions' } }],
    },
    {
      filename: 'src/lib/api.ts',
      code: `const headers = {\n  apikey: anonKey,\n  Authorization: \`Bearer ${SERVICE_JWT}\`,\n};`,
      errors: [{ messageId: 'serviceRoleLiteral', line: 3, column: 18 }],
    },
    // The Auth admin API.
    {
      filename: 'src/pages/Pacientes.tsx',
      code: lines(
        `export function Pacientes() {`,
        `  const convidar = async (email: string) => {`,
        `    const { error } = await supabase.auth.admin.inviteUserByEmail(email);`,
        `  };`,
        `  return <button onClick={() => convidar('ana@clinica.com.br')}>Convidar</button>;`,
        `}`,
      ),
      errors: [{ messageId: 'adminApi', line: 3, column: 29, data: { call: 'supabase.auth.admin.inviteUserByEmail()', functionsDir: 'supabase/functions' } }],
    },
    {
      filename: 'src/services/users.ts',
      code: `export const listUsers = () => supabaseAdmin.auth.admin.listUsers({ page: 1, perPage: 50 });`,
      errors: [{ messageId: 'adminApi', line: 1, column: 32, data: { call: 'supabaseAdmin.auth.admin.listUsers()', functionsDir: 'supabase/functions' } }],
    },
    {
      filename: 'src/services/users.ts',
      code: `await getClient().auth.admin.deleteUser(userId).then(() => toast('ok'));`,
      errors: [{ messageId: 'adminApi', line: 1, column: 7, data: { call: '….auth.admin.deleteUser()', functionsDir: 'supabase/functions' } }],
    },
    {
      filename: 'src/services/mfa.ts',
      code: `const { data } = await this.supabase.auth.admin.mfa.listFactors({ userId });`,
      errors: [{ messageId: 'adminApi', line: 1, column: 24, data: { call: 'this.supabase.auth.admin.mfa.listFactors()', functionsDir: 'supabase/functions' } }],
    },
    // Vite config that bakes the key into the bundle: config files are not exempt.
    {
      filename: 'vite.config.ts',
      code: `export default defineConfig({ define: { __SERVICE_KEY__: JSON.stringify(process.env.SUPABASE_SERVICE_ROLE_KEY) } });`,
      errors: [{ messageId: 'serviceRoleEnv', line: 1, column: 73 }],
    },
    // Custom functions directory: the default one is now ordinary client code.
    {
      filename: 'supabase/functions/x/index.ts',
      code: `const k = process.env.SUPABASE_SERVICE_ROLE_KEY;`,
      settings: { supagate: { functionsDir: 'edge' } },
      options: [{ serverPaths: [] }],
      errors: [{ messageId: 'serviceRoleEnv', line: 1, column: 11, data: { name: 'SUPABASE_SERVICE_ROLE_KEY', functionsDir: 'edge' } }],
    },
  ],
});
