import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../../src/analysis/inventory.js';
import { parseModule } from '../helpers/parse.js';

describe('inventoryOf', () => {
  it('maps a Stripe webhook: handler, verification, tables, secrets, SDKs', () => {
    const inv = inventoryOf(
      parseModule(`
      import Stripe from 'npm:stripe@14.14.0';
      import { createClient } from 'https://esm.sh/@supabase/supabase-js@2';
      const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!);
      const admin = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);
      Deno.serve(async (req) => {
        const event = await stripe.webhooks.constructEventAsync(await req.text(), req.headers.get('stripe-signature')!, Deno.env.get('STRIPE_WEBHOOK_SECRET')!);
        const { data: clinic } = await admin.from('clinics').select('id').eq('stripe_customer_id', event.data.object.customer).single();
        await admin.from('payments').insert({ clinic_id: clinic.id, amount: 100 });
        return new Response('ok');
      });`),
    );
    expect(inv).toEqual({
      handlers: ['Deno.serve'],
      verification: ['stripe.constructEventAsync'],
      tablesRead: ['clinics'],
      tablesWritten: ['payments'],
      rpc: [],
      clients: ['service-role'],
      hosts: [],
      secrets: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_URL'],
      sdks: ['@supabase/supabase-js', 'stripe'],
    });
  });

  it('collects hosts called with fetch and a timing-safe shared-secret check', () => {
    const inv = inventoryOf(
      parseModule(`
      import { timingSafeEqual } from 'jsr:@std/crypto/timing-safe-equal';
      export default {
        async fetch(req: Request) {
          if (!timingSafeEqual(enc(req.headers.get('apikey') ?? ''), enc(Deno.env.get('EVOLUTION_WEBHOOK_KEY')!))) return new Response('no', { status: 401 });
          await fetch('https://api.resend.com/emails', { method: 'POST' });
          await fetch(\`https://graph.facebook.com/v19.0/\${phoneId}/messages\`);
          await fetch(\`\${Deno.env.get('EVOLUTION_URL')}/message/sendText\`);
          return new Response('ok');
        },
      };`),
    );
    expect(inv.handlers).toEqual(['export-default-fetch']);
    expect(inv.verification).toEqual(['timing-safe compare']);
    expect(inv.hosts).toEqual(['api.resend.com', 'graph.facebook.com']);
    expect(inv.secrets).toEqual(['EVOLUTION_URL', 'EVOLUTION_WEBHOOK_KEY']);
  });
});
