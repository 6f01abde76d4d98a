import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RuleTester } from '@typescript-eslint/rule-tester';
import rule from '../../src/rules/undeclared-secret.js';

// Two projects on disk: one declaring its secrets in supabase/functions/.env.example, one without.
const declared = mkdtempSync(path.join(tmpdir(), 'supagate-secrets-'));
mkdirSync(path.join(declared, 'supabase/functions/stripe-webhook'), { recursive: true });
writeFileSync(
  path.join(declared, 'supabase/functions/.env.example'),
  '# Stripe\nSTRIPE_SECRET_KEY=sk_test_replace_me\nexport STRIPE_WEBHOOK_SECRET=\nEVOLUTION_API_KEY=\n  RESEND_API_KEY = \n',
);
const undeclared = mkdtempSync(path.join(tmpdir(), 'supagate-nosecrets-'));
const fileIn = (root: string, name = 'stripe-webhook') => path.join(root, `supabase/functions/${name}/index.ts`);

const ruleTester = new RuleTester();

ruleTester.run('undeclared-secret', rule, {
  valid: [
    { filename: fileIn(declared), code: `const stripeKey = Deno.env.get('STRIPE_SECRET_KEY')!;` },
    { filename: fileIn(declared), code: `const secret = Deno.env.get("STRIPE_WEBHOOK_SECRET") ?? '';` },
    { filename: fileIn(declared, 'whatsapp-webhook'), code: 'const apiKey = Deno.env.get(`EVOLUTION_API_KEY`);' },
    { filename: fileIn(declared, 'send-email'), code: `const resend = Deno.env.get('RESEND_API_KEY');` },
    // Injected by the platform: never needs declaring.
    { filename: fileIn(undeclared), code: `createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!)` },
    { filename: fileIn(undeclared), code: `const dbUrl = Deno.env.get('SUPABASE_DB_URL');` },
    // Dynamic names cannot be checked statically.
    { filename: fileIn(declared), code: `const v = Deno.env.get(name);` },
    // Shared helpers count too, but this one reads only declared names.
    { filename: path.join(declared, 'supabase/functions/_shared/stripe.ts'), code: `export const key = Deno.env.get('STRIPE_SECRET_KEY');` },
    // Outside supabase/functions the rule does not apply (frontend env is another story).
    { filename: path.join(declared, 'src/lib/env.ts'), code: `const x = Deno.env.get('ANYTHING');` },
    { filename: fileIn(declared), code: `const token = Deno.env.get('META_TOKEN');`, options: [{ ignore: ['META_TOKEN'] }] },
  ],
  invalid: [
    {
      filename: fileIn(declared),
      code: `const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!);\nconst openai = Deno.env.get('OPENAI_API_KEY');`,
      errors: [{ messageId: 'undeclared', line: 2, column: 16, data: { name: 'OPENAI_API_KEY', file: 'supabase/functions/.env.example' } }],
    },
    {
      filename: fileIn(declared, 'whatsapp-webhook'),
      code: `const instance = Deno.env.get("EVOLUTION_INSTANCE") ?? "clinica";`,
      errors: [{ messageId: 'undeclared', line: 1, column: 18 }],
    },
    {
      filename: path.join(declared, 'supabase/functions/_shared/resend.ts'),
      code: `export const from = Deno.env.get('EMAIL_REMETENTE');`,
      errors: [{ messageId: 'undeclared', line: 1, column: 21 }],
    },
    {
      filename: fileIn(undeclared),
      code: `const webhookSecret = Deno.env.get('STRIPE_WEBHOOK_SECRET');`,
      errors: [{ messageId: 'noDeclarationFile', line: 1, column: 23 }],
    },
    {
      filename: fileIn(declared),
      code: `const secret = Deno.env.get('STRIPE_WEBHOOK_SECRET');`,
      options: [{ declarationFile: 'secrets.example' }],
      errors: [{ messageId: 'noDeclarationFile', line: 1, column: 16, data: { name: 'STRIPE_WEBHOOK_SECRET', file: 'supabase/functions/secrets.example' } }],
    },
  ],
});
