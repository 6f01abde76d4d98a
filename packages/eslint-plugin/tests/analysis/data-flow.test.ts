import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';
import { walk } from '../../src/analysis/ast.js';
import { analyzePiiFlow } from '../../src/analysis/data-flow.js';
import { createPiiVocabulary } from '../../src/analysis/pii.js';
import { DEFAULT_SETTINGS } from '../../src/settings.js';
import { parseModule } from '../helpers/parse.js';

/** Leaks in every `console.*` call of the code, as `text → origin (label)`. */
function leaks(code: string): string[] {
  const program = parseModule(code);
  const flow = analyzePiiFlow(program, {
    vocabulary: createPiiVocabulary(),
    sanitizers: DEFAULT_SETTINGS.sanitizers,
    getText: (node) => code.slice(node.range[0], node.range[1]),
  });
  const out: string[] = [];
  walk(program, (node) => {
    if (
      node.type === AST_NODE_TYPES.CallExpression &&
      node.callee.type === AST_NODE_TYPES.MemberExpression &&
      node.callee.object.type === AST_NODE_TYPES.Identifier &&
      node.callee.object.name === 'console'
    ) {
      for (const arg of node.arguments as TSESTree.Node[]) {
        for (const leak of flow.leaksIn(arg)) out.push(`${leak.text} → ${leak.taint.origin} (${leak.taint.label})`);
      }
    }
  });
  return out;
}

describe('analyzePiiFlow', () => {
  it('reports names and member paths that are PII, with their label', () => {
    expect(
      leaks(`
        Deno.serve(async (req) => {
          const session = await getSession();
          console.log('checkout for', session.customer_details.email, session.id);
          console.log(cpf, patient_id, email_verified);
          return new Response('ok');
        });`),
    ).toEqual(['session.customer_details.email → session.customer_details.email (e-mail)', 'cpf → cpf (CPF)']);
  });

  it('follows assignments, destructuring with renaming, templates and concatenation', () => {
    expect(
      leaks(`
        async function notify(body) {
          const { email: to, telefone: phone, clinic_id } = body;
          const msg = \`Lembrete enviado para \${to}\`;
          let line = 'tel: ';
          line = line + phone;
          console.log(msg);
          console.log(line, clinic_id);
        }`),
    ).toEqual(['msg → body.email (e-mail)', 'line → phone (phone number)']);
  });

  it('follows object literals, spreads and JSON.stringify', () => {
    expect(
      leaks(`
        function log(patient) {
          const details = { id: patient.id, nascimento: patient.data_nascimento };
          const payload = { ...details, at: Date.now() };
          console.info(JSON.stringify(payload));
          console.info(JSON.stringify({ event: 'created', id: patient.id }));
        }`),
    ).toEqual(['payload → patient.data_nascimento (birth date)']);
  });

  it('treats whole request bodies, webhook payloads and person records as records', () => {
    const found = leaks(`
      import { Hono } from 'jsr:@hono/hono';
      const app = new Hono();
      app.post('/lead', async (c) => {
        const lead = await c.req.json();
        console.log('lead', lead);
        return c.json({ ok: true });
      });
      Deno.serve(async (req) => {
        const event = await stripe.webhooks.constructEventAsync(await req.text(), sig, secret);
        const session = event.data.object;
        console.log(session);
        const { record } = await req.json();
        console.log('row', record, record.id);
        console.log(paciente);
        return new Response('ok');
      });`);
    expect(found).toEqual([
      'lead → c.req.json() (the whole request body)',
      'session → event.data.object (the whole webhook payload)',
      'record → req.json() (the whole request body)',
      'paciente → paciente (a whole patient record)',
    ]);
  });

  it('taints query results that select PII columns or whole rows of people', () => {
    const found = leaks(`
      Deno.serve(async (req) => {
        const { data: pacientes } = await supabase.from('pacientes').select('id, nome, telefone').eq('clinic_id', id);
        const { data: rows } = await supabase.from('profiles').select('*');
        const { data: appts } = await supabase.from('appointments').select('id, starts_at');
        console.log(pacientes, rows, appts, pacientes.length);
        for (const p of pacientes) console.log(p.nome, p.id);
        return new Response('ok');
      });`);
    expect(found).toEqual([
      "pacientes → from('pacientes') (rows with nome, telefone)",
      "rows → from('profiles') (whole rows of `profiles`)",
      'p.nome → p.nome (name)',
    ]);
  });

  it('lets sanitizers, booleans, counts, slices and caught errors through', () => {
    expect(
      leaks(`
        Deno.serve(async (req) => {
          try {
            const { cpf, email, telefone } = await req.json();
            console.log(maskCpf(cpf), !!email, email.length, telefone.slice(-4), typeof cpf, email.includes('@'));
            console.log(\`cpf ok: \${cpf ? 'sim' : 'não'}\`);
            const cpfSeguro = redactCpf(cpf);
            console.log(cpfSeguro);
          } catch (err) {
            console.error(err);
            console.error('failed', err.message);
          }
          return new Response('ok');
        });`),
    ).toEqual([]);
  });

  it('follows lookups by a PII key and callbacks over PII lists', () => {
    expect(
      leaks(`
        Deno.serve(async (req) => {
          const auth = req.headers.get('Authorization');
          const form = await req.formData();
          const nome = form.get('nome');
          console.log(auth, Deno.env.get('STRIPE_SECRET_KEY'), Deno.env.get('SUPABASE_URL'));
          customers.forEach((c) => console.log(c.email));
          console.log(nome);
          return new Response('ok');
        });`),
    ).toEqual([
      "auth → req.headers.get('Authorization') (authorization header)",
      "Deno.env.get('STRIPE_SECRET_KEY') → Deno.env.get('STRIPE_SECRET_KEY') (secret)",
      'c.email → c.email (e-mail)',
    ]);
  });

  it('does not take name on things for a person name, but does on people', () => {
    expect(
      leaks(`
        Deno.serve(async (req) => {
          const { name } = await req.json();
          console.log(event.type, file.name, bucket.name, table_name, functionName, name);
          console.log(user.name, customer.name, { name, email });
          return new Response('ok');
        });`),
    ).toEqual(['user.name → user.name (name)', 'customer.name → customer.name (name)', 'name → name (name)', 'email → email (e-mail)']);
  });

  it('keeps scopes apart: a clean inner binding shadows a tainted outer one', () => {
    expect(
      leaks(`
        const body = await req.json();
        function summarize(body) {
          console.log(body);
        }
        {
          const data = await supabase.from('settings').select('*');
          console.log(data);
        }`),
    ).toEqual([]);
  });

  it('reads ids out of records and follows what map callbacks return', () => {
    expect(
      leaks(`
        Deno.serve(async (req) => {
          const event = await stripe.webhooks.constructEventAsync(await req.text(), sig, secret);
          const invoice = event.data.object;
          const customerId = invoice.customer;
          const { data: rows } = await supabase.from('pacientes').select('id, nome');
          const ids = rows.map((r) => r.id);
          const nomes = rows.map((r) => r.nome);
          const { value } = await req.json();
          console.log(customerId, ids, value, nomes);
          return new Response('ok');
        });`),
    ).toEqual(['nomes → r.nome (name)']);
  });

  it('does not take the name of a WhatsApp instance for a person because a phone sits next to it', () => {
    expect(
      leaks(`
        const { data: instances } = await supabase.from('whatsapp_instances').select('id, name, api_key, phone_number');
        for (const instance of instances) console.log('instance', instance.name, instance.id);`),
    ).toEqual([]);
  });
});
