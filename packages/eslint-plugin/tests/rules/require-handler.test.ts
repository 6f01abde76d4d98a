import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/require-handler.js';

const ruleTester = new RuleTester();
const entry = (name: string) => `supabase/functions/${name}/index.ts`;

ruleTester.run('require-handler', rule, {
  valid: [
    { filename: entry('stripe-webhook'), code: `Deno.serve(async (req) => new Response('ok'))` },
    { filename: entry('agendar-consulta'), code: `async function handler(req: Request) { return new Response('ok') }\nDeno.serve({ port: 8000 }, handler)` },
    {
      filename: entry('lembrete-whatsapp'),
      code: `import { serve } from "https://deno.land/std@0.168.0/http/server.ts";\nserve(async (req) => new Response("ok"));`,
    },
    { filename: entry('send-email'), code: `export default { async fetch(req: Request) { return new Response('sent') } }` },
    {
      filename: entry('evolution-webhook'),
      code: `import { Hono } from 'jsr:@hono/hono';\nconst app = new Hono().basePath('/evolution-webhook');\napp.post('/', (c) => c.json({ ok: true }));\nDeno.serve(app.fetch);`,
    },
    // Shared modules and helper files are not entrypoints.
    { filename: 'supabase/functions/_shared/cors.ts', code: `export const corsHeaders = { 'Access-Control-Allow-Origin': '*' }` },
    { filename: 'supabase/functions/stripe-webhook/handlers.ts', code: `export function onCheckout() {}` },
    // Outside the functions directory the rule does nothing.
    { filename: 'src/index.ts', code: `export const x = 1` },
  ],
  invalid: [
    {
      filename: entry('notify-patient'),
      code: `import { createClient } from 'npm:@supabase/supabase-js@2';\nexport async function notificar() {}`,
      errors: [{ messageId: 'noServer', line: 1, column: 1 }],
    },
    {
      filename: entry('relatorio-mensal'),
      code: `import { handler } from './handler.ts';\n\nDeno.serve(handler);`,
      errors: [{ messageId: 'unresolvedHandler', line: 3, column: 1 }],
    },
    {
      filename: entry('billing'),
      code: `import { app } from './app.ts';\nexport default app;`,
      errors: [{ messageId: 'unresolvedHandler', line: 2, column: 1 }],
    },
    {
      filename: entry('cron-cleanup'),
      code: `import { serve } from "https://deno.land/std@0.168.0/http/server.ts";\nimport { cleanup } from "./cleanup.ts";\nserve(cleanup);`,
      errors: [{ messageId: 'unresolvedHandler', line: 3, column: 1 }],
    },
  ],
});
