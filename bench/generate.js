#!/usr/bin/env node
// Deterministic generator of a large Supabase project for the benchmarks (issue 7).
//
//   node bench/generate.js [--functions N] [--migrations M] [--seed S] [--out DIR]
//
// Same options → byte-identical files. Nothing here reads the clock, the locale or the
// environment: every choice comes from one seeded PRNG, consumed in a fixed order.
// The project looks like a multi-tenant clinic SaaS (tenant column `clinic_id`): edge functions
// for Stripe, Evolution API (WhatsApp), Resend, Hono apps, std `serve`, `export default { fetch }`,
// and a long migration history, hand-written and pg_dump style. Some files carry the mistakes
// real teams make; `bench-manifest.json` counts them per rule (`planted`).
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const DEFAULTS = { functions: 400, migrations: 1500, seed: 7 };
const MARKER = '.supagate-bench';

// ---------------------------------------------------------------------------------------------
// PRNG (mulberry32) and helpers
// ---------------------------------------------------------------------------------------------

function seedOf(seed) {
  // Strings hash to a 32-bit seed (FNV-1a), numbers are used as they are.
  if (typeof seed === 'number') return seed >>> 0;
  let h = 0x811c9dc5;
  for (const ch of String(seed)) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function createRandom(seed) {
  let a = seedOf(seed);
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    /** `weights`: [[value, weight], …] */
    weighted(weights) {
      const total = weights.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [value, w] of weights) {
        r -= w;
        if (r < 0) return value;
      }
      return weights[weights.length - 1][0];
    },
    sample(list, n) {
      const copy = [...list];
      const out = [];
      while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
      return out;
    },
  };
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

const TABLE_WORDS = [
  'prontuarios', 'receitas', 'exames', 'anexos', 'lembretes', 'convenios', 'faturas', 'orcamentos',
  'procedimentos_realizados', 'estoque_itens', 'evolucoes', 'atestados', 'encaminhamentos', 'sessoes_terapia',
  'parcelas', 'documentos', 'notas_fiscais', 'avaliacoes', 'retornos', 'odontogramas',
  'invoices', 'treatment_plans', 'consent_forms', 'lab_orders', 'waitlist_entries', 'insurance_claims',
  'feedback_surveys', 'referrals', 'care_notes', 'inventory_movements', 'message_templates', 'audit_events',
];

/** [name, type] of optional business columns. */
const COLUMNS = [
  ['descricao', 'text'],
  ['observacoes', 'text'],
  ['valor_centavos', 'integer not null default 0'],
  ['amount_cents', 'bigint not null default 0'],
  ['status', "text not null default 'pendente' check (status in ('pendente', 'confirmado', 'cancelado', 'concluído'))"],
  ['data_prevista', 'date'],
  ['due_at', 'timestamptz'],
  ['metadata', "jsonb not null default '{}'::jsonb"],
  ['notes', 'text'],
  ['ativo', 'boolean not null default true'],
  ['quantidade', 'numeric(12,2) not null default 1'],
  ['codigo_tuss', 'text'],
  ['external_id', 'text'],
  ['sent_at', 'timestamptz'],
  ['titulo', "text not null default ''"],
  ['prioridade', 'smallint not null default 3'],
];

const COMMENTS = [
  'Registro clínico vinculado à clínica (LGPD: dado sensível de saúde).',
  'Histórico de atendimentos; a recepção só lê, o médico edita.',
  'Cobranças geradas pelo financeiro; conciliação com Stripe/Asaas.',
  'Documentos anexados ao prontuário. Arquivos ficam no Storage, aqui só o caminho.',
  'Mensagens automáticas (WhatsApp via Evolution API e e-mail via Resend).',
  'Itens de estoque da clínica: seringas, luvas, anestésicos…',
  'Tracks what each clinic sends to insurers; one row per claim.',
  'Configuração por clínica; padrões definidos na criação da clínica.',
];

const POLICY_VERBS = {
  select: ['Membros leem', 'Members read'],
  insert: ['Membros cadastram', 'Members create'],
  update: ['Membros atualizam', 'Members update'],
  delete: ['Membros removem', 'Members delete'],
  all: ['Membros gerenciam', 'Members manage'],
};

const FUNCTION_TOPICS = [
  ['agendar-consulta', 'appointments'], ['confirmar-consulta', 'appointments'], ['remarcar-consulta', 'appointments'],
  ['cancelar-consulta', 'appointments'], ['cadastrar-paciente', 'patients'], ['atualizar-paciente', 'patients'],
  ['enviar-lembrete', 'messages'], ['enviar-receita', 'messages'], ['gerar-fatura', 'payments'], ['baixar-pagamento', 'payments'],
  ['send-invoice', 'payments'], ['sync-calendar', 'appointments'], ['patient-portal', 'patients'], ['billing-portal', 'payments'],
  ['daily-report', 'appointments'], ['export-prontuario', 'patients'], ['notify-professional', 'messages'], ['import-patients', 'patients'],
  ['waitlist', 'appointments'], ['nps-survey', 'messages'],
];

const FIRST_NAMES = ['Maria', 'João', 'Ana', 'Pedro', 'Beatriz', 'Lucas', 'Júlia', 'Gabriel', 'Letícia', 'Rafael'];

// ---------------------------------------------------------------------------------------------
// Migrations
// ---------------------------------------------------------------------------------------------

const HELPERS_SQL = `-- Modelo de tenancy: cada clínica é um tenant; todo dado de negócio carrega clinic_id.
-- Usuários (auth.users) entram nas clínicas pela tabela clinic_members.

create table public.clinics (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  cnpj text unique,
  timezone text not null default 'America/Sao_Paulo',
  whatsapp_instance text unique,
  stripe_customer_id text unique,
  created_at timestamptz not null default now()
);

comment on table public.clinics is 'Clínicas (tenants). Toda tabela de negócio referencia clinics.id em clinic_id.';

create table public.clinic_members (
  user_id uuid not null references auth.users (id) on delete cascade,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  role text not null default 'recepcao' check (role in ('admin', 'medico', 'recepcao', 'financeiro')),
  created_at timestamptz not null default now(),
  primary key (user_id, clinic_id)
);

create index clinic_members_clinic_id_idx on public.clinic_members (clinic_id);

-- Usada pelas policies: security definer para não cair em recursão no RLS de clinic_members;
-- search_path vazio para que ninguém "sequestre" os nomes usados aqui dentro.
create or replace function public.is_clinic_member(p_clinic_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.clinic_members m
    where m.clinic_id = p_clinic_id
      and m.user_id = (select auth.uid())
  );
$$;

revoke execute on function public.is_clinic_member(uuid) from anon;

create or replace function public.set_updated_at()
returns trigger
language plpgsql
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

alter table public.clinics enable row level security;
alter table public.clinic_members enable row level security;

create policy "Membros veem a própria clínica"
  on public.clinics
  for select
  to authenticated
  using (public.is_clinic_member(id));

create policy "Membros veem a equipe da clínica"
  on public.clinic_members
  for select
  to authenticated
  using (public.is_clinic_member(clinic_id));
`;

const CORE_SQL = `-- Pacientes, profissionais, consultas, pagamentos e mensagens: o núcleo que as edge functions usam.

create table public.patients (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  nome text not null,
  cpf text not null,
  telefone text not null,
  email text,
  data_nascimento date,
  created_at timestamptz not null default now(),
  unique (clinic_id, cpf)
);

create table public.professionals (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  nome text not null,
  especialidade text
);

create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  patient_id uuid not null references public.patients (id) on delete cascade,
  professional_id uuid references public.professionals (id) on delete set null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'scheduled',
  reschedule_reason text,
  confirmed_at timestamptz,
  updated_by uuid references auth.users (id),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at)
);

create table public.payments (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  provider text not null,
  stripe_event_id text unique,
  external_id text,
  amount_cents bigint not null default 0,
  currency text not null default 'brl',
  status text not null default 'pending',
  paid_at timestamptz
);

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  patient_id uuid references public.patients (id) on delete set null,
  channel text not null,
  direction text not null,
  from_phone text,
  body text,
  external_id text,
  sent_at timestamptz not null default now()
);

alter table public.patients enable row level security;
alter table public.professionals enable row level security;
alter table public.appointments enable row level security;
alter table public.payments enable row level security;
alter table public.messages enable row level security;

create policy "Membros gerenciam pacientes da clínica" on public.patients for all to authenticated
  using (public.is_clinic_member(clinic_id)) with check (public.is_clinic_member(clinic_id));
create policy "Membros gerenciam profissionais da clínica" on public.professionals for all to authenticated
  using (public.is_clinic_member(clinic_id)) with check (public.is_clinic_member(clinic_id));
create policy "Membros gerenciam consultas da clínica" on public.appointments for all to authenticated
  using (public.is_clinic_member(clinic_id)) with check (public.is_clinic_member(clinic_id));
create policy "Membros leem pagamentos da clínica" on public.payments for select to authenticated
  using (public.is_clinic_member(clinic_id));
create policy "Membros leem mensagens da clínica" on public.messages for select to authenticated
  using (public.is_clinic_member(clinic_id));
`;

/** Generates the migration history. Returns [{ name, text }] in file-name order and the planted counts. */
function generateMigrations(rand, count) {
  const files = [];
  const planted = {};
  const plant = (rule, n = 1) => {
    planted[rule] = (planted[rule] ?? 0) + n;
  };
  /** Tenant tables that exist, with RLS on and policies (safe to alter, to read from views). */
  const tables = ['patients', 'appointments', 'payments', 'messages'];
  let seq = 0;
  const uniq = () => pad(++seq, 4);

  // Timestamps: from 2022-01-03 09:00, forward by 7 minutes to 3 days each.
  let t = Date.UTC(2022, 0, 3, 9, 0, 0);
  const stamp = () => {
    t += rand.int(7, 3 * 24 * 60) * 60_000 + rand.int(0, 59) * 1000;
    const d = new Date(t);
    return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  };
  const add = (slug, text) => files.push({ name: `${stamp()}_${slug}.sql`, text });

  add('init_tenancy', HELPERS_SQL);
  if (count > 1) add('pacientes_consultas_pagamentos', CORE_SQL);

  const kinds = [
    ['table', 30],
    ['pgdump', 12],
    ['function', 12],
    ['view', 6],
    ['alter', 16],
    ['do_block', 5],
    ['lookup', 3],
    ['split_rls', 4],
    ['grants', 4],
    // Mistakes (about one migration in 14).
    ['bad_no_rls', 1],
    ['bad_no_tenant_column', 1],
    ['bad_user_metadata', 1],
    ['bad_open_policy', 1],
    ['bad_definer', 1.2],
    ['bad_view', 1],
    ['bad_pgdump_no_rls', 0.8],
    ['info_rls_no_policy', 0.8],
  ];

  while (files.length < count) {
    const kind = rand.weighted(kinds);
    const english = rand.chance(0.35);
    switch (kind) {
      case 'table': {
        const name = `${rand.pick(TABLE_WORDS)}_${uniq()}`;
        add(`create_${name}`, tableMigration(rand, name, english));
        tables.push(name);
        break;
      }
      case 'pgdump': {
        const names = Array.from({ length: rand.int(1, 3) }, () => `${rand.pick(TABLE_WORDS)}_${uniq()}`);
        add('remote_schema', pgDumpMigration(rand, names, { rls: true }));
        tables.push(...names);
        break;
      }
      case 'function': {
        const fn = `fn_${rand.pick(['total', 'resumo', 'count', 'saldo', 'pendentes', 'stats'])}_${uniq()}`;
        add(`function_${fn}`, functionMigration(rand, fn, rand.pick(tables), { definer: rand.chance(0.4), searchPath: true }));
        break;
      }
      case 'view': {
        const view = `vw_${rand.pick(['agenda', 'resumo', 'pendencias', 'dashboard', 'overview'])}_${uniq()}`;
        add(`view_${view}`, viewMigration(rand, view, rand.pick(tables), { invoker: true }));
        break;
      }
      case 'alter': {
        add(`alter_${uniq()}`, alterMigration(rand, rand.pick(tables)));
        break;
      }
      case 'do_block': {
        add(`do_block_${uniq()}`, doBlockMigration(rand, rand.pick(tables), uniq()));
        break;
      }
      case 'lookup': {
        const name = `catalogo_${rand.pick(['tuss', 'cid10', 'especialidades', 'feriados', 'bancos'])}_${uniq()}`;
        add(`lookup_${name}`, lookupMigration(rand, name));
        break;
      }
      case 'split_rls': {
        // RLS enabled in a later migration than the create table (correct).
        const name = `${rand.pick(TABLE_WORDS)}_${uniq()}`;
        add(`create_${name}`, tableMigration(rand, name, english, { rls: false, policies: false }));
        if (files.length < count) add(`${name}_rls`, rlsMigration(rand, name, english));
        else {
          // The history ends here: the table stays without RLS (and is counted).
          plant('require-rls');
        }
        tables.push(name);
        break;
      }
      case 'grants': {
        add(`grants_${uniq()}`, grantsMigration(rand, rand.sample(tables, 3)));
        break;
      }
      case 'bad_no_rls': {
        const name = `${rand.pick(TABLE_WORDS)}_${uniq()}`;
        add(`create_${name}`, tableMigration(rand, name, english, { rls: false, policies: false }));
        plant('require-rls');
        break;
      }
      case 'bad_no_tenant_column': {
        const name = `${rand.pick(['respostas_anamnese', 'itens_orcamento', 'anexos_exame', 'line_items'])}_${uniq()}`;
        add(`create_${name}`, tableMigration(rand, name, english, { tenant: false, policies: false, childOf: rand.pick(tables) }));
        plant('require-tenant-column');
        break;
      }
      case 'bad_user_metadata': {
        const name = `configuracoes_${uniq()}`;
        add(`create_${name}`, userMetadataMigration(rand, name));
        plant('no-user-metadata-in-policy');
        break;
      }
      case 'bad_open_policy': {
        const table = rand.pick(tables);
        add(`fix_${table}_select`, openPolicyMigration(rand, table, uniq()));
        plant('require-tenant-policy');
        break;
      }
      case 'bad_definer': {
        const fn = `fn_dashboard_${uniq()}`;
        add(`function_${fn}`, functionMigration(rand, fn, rand.pick(tables), { definer: true, searchPath: false }));
        plant('security-definer-search-path');
        break;
      }
      case 'bad_view': {
        const view = `vw_agenda_do_dia_${uniq()}`;
        add(`view_${view}`, viewMigration(rand, view, rand.pick(tables), { invoker: false }));
        plant('view-bypasses-rls');
        break;
      }
      case 'bad_pgdump_no_rls': {
        const names = [`${rand.pick(TABLE_WORDS)}_${uniq()}`];
        add('remote_schema', pgDumpMigration(rand, names, { rls: false }));
        plant('require-rls');
        plant('policy-without-rls');
        break;
      }
      case 'info_rls_no_policy': {
        const name = `integration_credentials_${uniq()}`;
        add(`create_${name}`, tableMigration(rand, name, true, { policies: false, comment: 'Só o service role lê esta tabela (tokens de integração).' }));
        plant('rls-without-policy');
        break;
      }
    }
  }
  return { files, planted };
}

function columnLines(rand, { tenant = true, childOf } = {}) {
  const lines = ['  id uuid primary key default gen_random_uuid()'];
  if (tenant) lines.push('  clinic_id uuid not null references public.clinics (id) on delete cascade');
  if (childOf) lines.push(`  parent_id uuid not null references public.${childOf} (id) on delete cascade`);
  else if (rand.chance(0.6)) lines.push('  patient_id uuid references public.patients (id) on delete set null');
  for (const [name, type] of rand.sample(COLUMNS, rand.int(2, 7))) lines.push(`  ${name} ${type}`);
  lines.push('  created_at timestamptz not null default now()');
  lines.push('  updated_at timestamptz not null default now()');
  return lines;
}

function policyExpr(rand, alias) {
  return rand.weighted([
    ['public.is_clinic_member(clinic_id)', 6],
    ['(select public.is_clinic_member(clinic_id))', 2],
    [`exists (select 1 from public.clinic_members m where m.clinic_id = ${alias}.clinic_id and m.user_id = (select auth.uid()))`, 2],
  ]);
}

function policies(rand, table, english) {
  const out = [];
  const style = rand.weighted([['all', 4], ['split', 3], ['read_only', 2]]);
  const commands = style === 'all' ? ['all'] : style === 'split' ? ['select', 'insert', 'update', 'delete'] : ['select'];
  for (const cmd of commands) {
    const verb = POLICY_VERBS[cmd][english ? 1 : 0];
    const name = english ? `${verb} ${table.replace(/_/g, ' ')} of their clinic` : `${verb} ${table.replace(/_/g, ' ')} da clínica`;
    const expr = policyExpr(rand, table);
    const using = cmd === 'insert' ? '' : `\n  using (${expr})`;
    const check = cmd === 'insert' || cmd === 'update' || cmd === 'all' ? `\n  with check (${expr})` : '';
    out.push(`create policy "${name}"\n  on public.${table}\n  for ${cmd}\n  to authenticated${using}${check};`);
  }
  return out;
}

function tableMigration(rand, name, english, options = {}) {
  const { rls = true, policies: withPolicies = true, tenant = true, childOf, comment } = options;
  const parts = [];
  parts.push(english ? `-- ${name.replace(/_\d+$/, '').replace(/_/g, ' ')}: one row per clinic record.` : `-- ${name.replace(/_\d+$/, '').replace(/_/g, ' ')}: registros por clínica (tenant).`);
  parts.push(`create table public.${name} (\n${columnLines(rand, { tenant, childOf }).join(',\n')}\n);`);
  parts.push(`comment on table public.${name} is '${(comment ?? rand.pick(COMMENTS)).replace(/'/g, "''")}';`);
  if (tenant) parts.push(`create index ${name}_clinic_id_idx on public.${name} (clinic_id);`);
  if (rand.chance(0.5)) {
    parts.push(`create trigger ${name}_set_updated_at\n  before update on public.${name}\n  for each row execute function public.set_updated_at();`);
  }
  if (rls) parts.push(`alter table public.${name} enable row level security;`);
  if (rls && withPolicies) parts.push(...policies(rand, name, english));
  if (rls && childOf) {
    // No tenant column: the policy reaches the clinic through the parent row.
    parts.push(
      `create policy "Membros acessam ${name.replace(/_/g, ' ')} pela linha mãe"\n  on public.${name}\n  for all\n  to authenticated\n  using (exists (select 1 from public.${childOf} p where p.id = parent_id and public.is_clinic_member(p.clinic_id)));`,
    );
  }
  return `${parts.join('\n\n')}\n`;
}

function rlsMigration(rand, name, english) {
  return `-- Liga o RLS de ${name} (a tabela foi criada na migration anterior).\n\nalter table public.${name} enable row level security;\n\n${policies(rand, name, english).join('\n\n')}\n`;
}

function pgDumpMigration(rand, names, { rls }) {
  const out = [];
  out.push(`

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;


COMMENT ON SCHEMA "public" IS 'standard public schema';

SET default_tablespace = '';

SET default_table_access_method = "heap";
`);
  for (const name of names) {
    const cols = [
      `    "id" "uuid" DEFAULT "gen_random_uuid"() NOT NULL`,
      `    "clinic_id" "uuid" NOT NULL`,
      `    "patient_id" "uuid"`,
      ...rand.sample(
        [
          `    "descricao" "text"`,
          `    "valor_centavos" integer DEFAULT 0 NOT NULL`,
          `    "status" "text" DEFAULT 'pendente'::"text" NOT NULL`,
          `    "arquivo_path" "text"`,
          `    "liberado_em" timestamp with time zone`,
          `    "metadata" "jsonb" DEFAULT '{}'::"jsonb" NOT NULL`,
        ],
        rand.int(1, 4),
      ),
      `    "created_at" timestamp with time zone DEFAULT "now"() NOT NULL`,
    ];
    out.push(`
CREATE TABLE IF NOT EXISTS "public"."${name}" (
${cols.join(',\n')}
);


ALTER TABLE "public"."${name}" OWNER TO "postgres";


COMMENT ON TABLE "public"."${name}" IS '${rand.pick(COMMENTS).replace(/'/g, "''")}';



ALTER TABLE ONLY "public"."${name}"
    ADD CONSTRAINT "${name}_pkey" PRIMARY KEY ("id");



CREATE INDEX "${name}_clinic_idx" ON "public"."${name}" USING "btree" ("clinic_id");



ALTER TABLE ONLY "public"."${name}"
    ADD CONSTRAINT "${name}_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE CASCADE;



ALTER TABLE ONLY "public"."${name}"
    ADD CONSTRAINT "${name}_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE SET NULL;



CREATE POLICY "Membros da clínica acessam ${name}" ON "public"."${name}" TO "authenticated" USING ("public"."is_clinic_member"("clinic_id")) WITH CHECK ("public"."is_clinic_member"("clinic_id"));
`);
    if (rls) out.push(`\n\nALTER TABLE "public"."${name}" ENABLE ROW LEVEL SECURITY;\n`);
  }
  out.push('\n\nGRANT USAGE ON SCHEMA "public" TO "postgres";\nGRANT USAGE ON SCHEMA "public" TO "anon";\nGRANT USAGE ON SCHEMA "public" TO "authenticated";\nGRANT USAGE ON SCHEMA "public" TO "service_role";\n');
  for (const name of names) {
    for (const role of ['anon', 'authenticated', 'service_role']) out.push(`\nGRANT ALL ON TABLE "public"."${name}" TO "${role}";`);
    out.push('\n\n');
  }
  out.push(`
ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT ALL ON SEQUENCES  TO "anon";
ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT ALL ON SEQUENCES  TO "authenticated";
ALTER DEFAULT PRIVILEGES FOR ROLE "postgres" IN SCHEMA "public" GRANT ALL ON TABLES  TO "service_role";



RESET ALL;
`);
  return out.join('');
}

function functionMigration(rand, fn, table, { definer, searchPath }) {
  const header = definer
    ? searchPath
      ? '-- security definer: roda com os direitos do dono; search_path fixo para não ser sequestrado.'
      : '-- Agregado do dashboard. security definer para enxergar todas as linhas da clínica.'
    : '-- Helper chamado pelo painel via supabase.rpc().';
  const style = rand.pick(['count', 'loop', 'sql']);
  const security = definer ? '\nsecurity definer' : '';
  const sp = definer && searchPath ? rand.pick(["\nset search_path = ''", '\nset search_path = public, pg_temp']) : '';
  if (style === 'sql') {
    return `${header}\n\ncreate or replace function public.${fn}(p_clinic_id uuid)\nreturns bigint\nlanguage sql\nstable${security}${sp}\nas $$\n  select count(*)\n  from public.${table} t\n  where t.clinic_id = p_clinic_id;\n$$;\n\ngrant execute on function public.${fn}(uuid) to authenticated;\n`;
  }
  const body =
    style === 'count'
      ? `declare
  total bigint;
begin
  if not public.is_clinic_member(p_clinic_id) then
    raise exception 'acesso negado à clínica %', p_clinic_id using errcode = '42501';
  end if;
  select count(*) into total
  from public.${table} t
  where t.clinic_id = p_clinic_id
    and t.created_at >= now() - interval '30 days';
  return coalesce(total, 0);
end;`
      : `declare
  r record;
  total bigint := 0;
begin
  for r in
    select t.id, t.created_at
    from public.${table} t
    where t.clinic_id = p_clinic_id
    order by t.created_at desc
    limit 500
  loop
    total := total + 1;
    if total % 100 = 0 then
      raise notice 'processados % registros (clínica %)', total, p_clinic_id;
    end if;
  end loop;
  return total;
exception
  when others then
    raise warning 'falha em ${fn}: %', sqlerrm;
    return -1;
end;`;
  return `${header}\n\ncreate or replace function public.${fn}(p_clinic_id uuid)\nreturns bigint\nlanguage plpgsql\nstable${security}${sp}\nas $$\n${body}\n$$;\n\nrevoke execute on function public.${fn}(uuid) from anon;\ngrant execute on function public.${fn}(uuid) to authenticated;\n`;
}

function viewMigration(rand, view, table, { invoker }) {
  const opts = invoker ? ' with (security_invoker = true)' : '';
  const comment = invoker
    ? '-- security_invoker: a view respeita o RLS de quem consulta.'
    : '-- Agenda do dia para o painel da recepção.';
  return `${comment}\n\ncreate or replace view public.${view}${opts} as\nselect t.id, t.clinic_id, t.created_at, p.nome as paciente_nome\nfrom public.${table} t\nleft join public.patients p on p.clinic_id = t.clinic_id\nwhere t.created_at >= date_trunc('day', now()) - interval '${rand.int(1, 90)} days';\n\ngrant select on public.${view} to authenticated;\n`;
}

function alterMigration(rand, table) {
  const n = rand.int(1, 999);
  const out = [`-- Ajustes em ${table}.`];
  const [col, type] = rand.pick([
    ['lembrete_enviado_em', 'timestamptz'],
    ['origem', "text default 'painel'"],
    ['convenio', 'text'],
    ['cancel_reason', 'text'],
    ['tags', "text[] not null default '{}'"],
    ['versao', 'integer not null default 1'],
  ]);
  out.push(`alter table public.${table} add column if not exists ${col}_${n} ${type};`);
  if (rand.chance(0.6)) out.push(`create index if not exists ${table}_${col}_${n}_idx on public.${table} (clinic_id, created_at desc);`);
  if (rand.chance(0.3)) out.push(`comment on column public.${table}.${col}_${n} is 'Preenchido pela integração; não editar à mão.';`);
  if (rand.chance(0.2)) out.push(`update public.${table} set ${col}_${n} = default where ${col}_${n} is null;`);
  return `${out.join('\n\n')}\n`;
}

function doBlockMigration(rand, table, n) {
  return rand.chance(0.5)
    ? `-- Cria o enum só se ainda não existir (a migration já rodou à mão em produção).\n\ndo $$\nbegin\n  if not exists (select 1 from pg_type where typname = 'status_${n}') then\n    create type public.status_${n} as enum ('pendente', 'em_andamento', 'concluído', 'cancelado');\n  end if;\nend\n$$;\n`
    : `-- Backfill idempotente.\n\ndo $$\ndeclare\n  linhas integer;\nbegin\n  update public.${table} set updated_at = now() where updated_at is null;\n  get diagnostics linhas = row_count;\n  raise notice 'backfill ${table}: % linhas', linhas;\nend\n$$;\n`;
}

function lookupMigration(rand, name) {
  return `-- Catálogo global (igual para todas as clínicas), por isso sem clinic_id.

-- supagate-ignore require-tenant-column -- global lookup table: ${name.replace(/_\d+$/, '')}, o mesmo para todas as clínicas
create table public.${name} (
  codigo text primary key,
  descricao text not null,
  vigente_desde date not null default current_date
);

alter table public.${name} enable row level security;

create policy "Catálogo legível por usuários autenticados"
  on public.${name}
  for select
  to authenticated
  using (true);

insert into public.${name} (codigo, descricao) values
  ('${rand.int(10000, 99999)}', 'Consulta em consultório'),
  ('${rand.int(10000, 99999)}', 'Avaliação odontológica'),
  ('${rand.int(10000, 99999)}', 'Sessão de fisioterapia');
`;
}

function grantsMigration(rand, tables) {
  return `-- Permissões explícitas (o painel usa a role authenticated).\n\n${tables
    .map((t) => `revoke all on table public.${t} from anon;\ngrant select, insert, update, delete on table public.${t} to authenticated;`)
    .join('\n\n')}\n`;
}

function userMetadataMigration(rand, name) {
  return `-- Configurações da clínica. O clinic_id e o papel vão no metadata do usuário no convite.

create table public.${name} (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null unique references public.clinics (id) on delete cascade,
  horario_abertura time not null default '08:00',
  mensagem_lembrete text,
  updated_at timestamptz not null default now()
);

alter table public.${name} enable row level security;

create policy "Membros leem as configurações"
  on public.${name}
  for select
  to authenticated
  using (public.is_clinic_member(clinic_id));

create policy "Admin da clínica edita as configurações"
  on public.${name}
  for update
  to authenticated
  using (
    clinic_id = ((auth.jwt() -> 'user_metadata' ->> 'clinic_id'))::uuid
    and (auth.jwt() -> 'user_metadata' ->> 'role') = 'admin'
  )
  with check (
    clinic_id = ((auth.jwt() -> 'user_metadata' ->> 'clinic_id'))::uuid
  );
`;
}

function openPolicyMigration(rand, table, n) {
  return `-- "Fix": a recepção não enxergava a agenda dos outros profissionais.\n\ncreate policy "Autenticados leem ${table} ${n}"\n  on public.${table}\n  for select\n  to authenticated\n  using (true);\n`;
}

// ---------------------------------------------------------------------------------------------
// Edge functions
// ---------------------------------------------------------------------------------------------

const SHARED = {
  'supabaseAdmin.ts': `import { createClient, type SupabaseClient } from 'https://esm.sh/@supabase/supabase-js@2'

/**
 * Cliente com a service role: ignora RLS. Use só em webhooks e rotinas internas,
 * e sempre filtre pela clínica (\`clinic_id\`) nas escritas.
 */
export const supabaseAdmin: SupabaseClient = createClient(
  Deno.env.get('SUPABASE_URL')!,
  Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!,
  { auth: { persistSession: false, autoRefreshToken: false } },
)
`,
  'supabaseClient.ts': `import { createClient, type SupabaseClient } from 'https://esm.sh/@supabase/supabase-js@2'

/** Cliente com o JWT de quem chamou: o RLS decide o que ele enxerga. */
export function createUserClient(authorization: string): SupabaseClient {
  return createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
    global: { headers: { Authorization: authorization } },
  })
}
`,
  'cors.ts': `export const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, OPTIONS',
}

export const jsonHeaders = { ...corsHeaders, 'Content-Type': 'application/json' }
`,
  'mask.ts': `/** Máscaras para dados pessoais (LGPD): use antes de qualquer console.* que identifique um paciente. */

/** 5511987654321 -> ******4321 */
export function maskPhone(telefone: string): string {
  const digitos = telefone.replace(/\\D/g, '')
  return digitos.length <= 4 ? '****' : \`\${'*'.repeat(digitos.length - 4)}\${digitos.slice(-4)}\`
}

/** maria.souza@gmail.com -> m***@gmail.com */
export function maskEmail(email: string): string {
  const [usuario, dominio] = email.split('@')
  if (!usuario || !dominio) return '***'
  return \`\${usuario[0]}***@\${dominio}\`
}
`,
};

/** Generates `supabase/functions/<name>/*.ts`. Returns { files: [{ path, text }], publicFunctions, planted }. */
function generateFunctions(rand, count) {
  const files = [];
  const planted = {};
  const plant = (rule, n = 1) => {
    planted[rule] = (planted[rule] ?? 0) + n;
  };
  const publicFunctions = [];
  const used = new Map();
  const nameFor = (base) => {
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };

  for (const [file, text] of Object.entries(SHARED)) files.push({ path: `_shared/${file}`, text });

  const kinds = [
    ['stripe', 3],
    ['evolution', 3],
    ['resend', 3],
    ['hono', 3],
    ['std', 3],
    ['fetch', 2],
  ];
  for (let i = 0; i < count; i++) {
    const kind = rand.weighted(kinds);
    // One function in five carries a realistic mistake.
    const mistake = rand.chance(0.2);
    const [topic, table] = rand.pick(FUNCTION_TOPICS);
    let name;
    let text;
    switch (kind) {
      case 'stripe':
        name = nameFor(rand.pick(['stripe-webhook', 'stripe-events', 'webhook-stripe', 'pagamentos-stripe']));
        text = stripeFunction(rand, name, mistake);
        publicFunctions.push(name);
        if (mistake) plant('require-error-handling');
        break;
      case 'evolution':
        name = nameFor(rand.pick(['whatsapp-webhook', 'evolution-webhook', 'webhook-whatsapp', 'mensagens-whatsapp']));
        text = evolutionFunction(rand, name, mistake);
        publicFunctions.push(name);
        if (mistake) plant('no-pii-in-logs');
        break;
      case 'resend':
        name = nameFor(rand.pick(['send-email', 'enviar-email', 'email-confirmacao', 'resend-notify']));
        text = resendFunction(rand, name, mistake);
        if (mistake) plant('no-pii-in-logs');
        break;
      case 'hono':
        name = nameFor(`${topic}-api`);
        text = honoFunction(rand, name, table, mistake);
        if (mistake) plant('require-tenant-scope');
        break;
      case 'std':
        name = nameFor(topic);
        text = stdFunction(rand, name, table, mistake);
        if (mistake) plant('require-tenant-scope');
        break;
      case 'fetch':
        name = nameFor(`${topic}-handler`);
        text = fetchFunction(rand, name, table, mistake);
        if (mistake) plant('require-error-handling');
        break;
    }
    files.push({ path: `${name}/index.ts`, text });
    // Larger functions split helpers out of index.ts.
    if (rand.chance(0.45)) files.push({ path: `${name}/validate.ts`, text: validateModule(rand, name) });
    if (rand.chance(0.15)) files.push({ path: `${name}/types.ts`, text: typesModule(rand, name) });
  }
  return { files, publicFunctions, planted };
}

function stripeFunction(rand, name, catch200) {
  const failure = catch200
    ? `    console.error('${name}: falha ao processar evento', event.id, err)\n    // Stripe reenvia o evento se a resposta não for 2xx; melhor confirmar e olhar o log depois.\n    return new Response(JSON.stringify({ received: true, error: String(err) }), { status: 200 })`
    : `    console.error('${name}: falha ao processar evento', event.id, err)\n    return new Response('Internal error', { status: 500 })`;
  return `// Webhook da Stripe (${name}): registra o pagamento da assinatura da clínica.
// Público (verify_jwt = false): a origem é provada pela assinatura Stripe-Signature.
import Stripe from 'npm:stripe@17.7.0'
import { supabaseAdmin } from '../_shared/supabaseAdmin.ts'

const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!, {
  apiVersion: '2024-06-20',
  httpClient: Stripe.createFetchHttpClient(),
})
const cryptoProvider = Stripe.createSubtleCryptoProvider()
const webhookSecret = Deno.env.get('STRIPE_WEBHOOK_SECRET')!

Deno.serve(async (req) => {
  const signature = req.headers.get('Stripe-Signature')
  if (!signature) {
    return new Response('Missing Stripe-Signature header', { status: 400 })
  }
  const body = await req.text()

  let event: Stripe.Event
  try {
    event = await stripe.webhooks.constructEventAsync(body, signature, webhookSecret, undefined, cryptoProvider)
  } catch (err) {
    console.error('${name}: assinatura inválida', err)
    return new Response('Invalid signature', { status: 400 })
  }

  try {
    if (event.type !== '${rand.pick(['checkout.session.completed', 'invoice.paid', 'payment_intent.succeeded'])}') {
      return new Response(JSON.stringify({ received: true }), { status: 200 })
    }
    const session = event.data.object as Stripe.Checkout.Session
    const clinicId = session.metadata?.clinic_id
    if (!clinicId) {
      return new Response('evento sem metadata.clinic_id', { status: 422 })
    }
    const { data: clinic, error: clinicError } = await supabaseAdmin.from('clinics').select('id').eq('id', clinicId).maybeSingle()
    if (clinicError) throw clinicError
    if (!clinic) {
      return new Response('Unknown clinic', { status: 422 })
    }

    const { error: paymentError } = await supabaseAdmin.from('payments').upsert(
      {
        clinic_id: clinic.id,
        provider: 'stripe',
        stripe_event_id: event.id,
        amount_cents: session.amount_total ?? ${rand.int(0, 100) * 100},
        currency: session.currency ?? 'brl',
        status: 'paid',
        paid_at: new Date().toISOString(),
      },
      { onConflict: 'stripe_event_id', ignoreDuplicates: true },
    )
    if (paymentError) throw paymentError

    console.info({ event: 'stripe_payment_recorded', clinic_id: clinic.id, stripe_event_id: event.id, at: new Date().toISOString() })
    return new Response(JSON.stringify({ received: true }), { status: 200, headers: { 'Content-Type': 'application/json' } })
  } catch (err) {
${failure}
  }
})
`;
}

function evolutionFunction(rand, name, logsPhone) {
  const log = logsPhone
    ? `    console.log(\`mensagem recebida de \${telefone}\`, { clinic_id: clinic.id })\n`
    : '';
  return `// Webhook de entrada da Evolution API (WhatsApp): ${name}.
// Público (verify_jwt = false): a Evolution envia o header \`apikey\` configurado na instância.
import { serve } from 'https://deno.land/std@0.168.0/http/server.ts'
import { timingSafeEqual } from 'jsr:@std/crypto@1/timing-safe-equal'
import { supabaseAdmin } from '../_shared/supabaseAdmin.ts'
import { maskPhone } from '../_shared/mask.ts'

type EvolutionMessageUpsert = {
  event: string
  instance: string
  data: {
    key: { remoteJid: string; fromMe: boolean; id: string }
    pushName?: string
    message?: { conversation?: string; extendedTextMessage?: { text?: string } }
    messageTimestamp: number
  }
}

const encoder = new TextEncoder()

/** Compara o header \`apikey\` com o segredo em tempo constante. Sem segredo configurado, recusa. */
function isValidApiKey(received: string | null): boolean {
  const expected = Deno.env.get('EVOLUTION_WEBHOOK_SECRET')
  if (!expected || !received) return false
  return timingSafeEqual(encoder.encode(received), encoder.encode(expected))
}

serve(async (req) => {
  if (req.method !== 'POST') {
    return new Response('Method not allowed', { status: 405 })
  }
  if (!isValidApiKey(req.headers.get('apikey'))) {
    return new Response('Unauthorized', { status: 401 })
  }

  try {
    const payload = (await req.json()) as EvolutionMessageUpsert
    if (payload.event !== 'messages.upsert' || payload.data.key.fromMe) {
      return new Response(JSON.stringify({ ignored: true }), { status: 200 })
    }
    const { data: clinic, error: clinicError } = await supabaseAdmin.from('clinics').select('id').eq('whatsapp_instance', payload.instance).maybeSingle()
    if (clinicError) throw clinicError
    if (!clinic) {
      return new Response('Unknown instance', { status: 404 })
    }

    const telefone = payload.data.key.remoteJid.split('@')[0]
    const texto = payload.data.message?.conversation ?? payload.data.message?.extendedTextMessage?.text ?? null
${log}
    const { error: insertError } = await supabaseAdmin.from('messages').insert({
      clinic_id: clinic.id,
      channel: 'whatsapp',
      direction: 'inbound',
      from_phone: telefone,
      body: texto,
      external_id: payload.data.key.id,
      sent_at: new Date(payload.data.messageTimestamp * 1000).toISOString(),
    })
    if (insertError) throw insertError

    console.info({ event: 'whatsapp_message_received', clinic_id: clinic.id, from: maskPhone(telefone), at: new Date().toISOString() })
    return new Response(JSON.stringify({ received: true }), { status: 200, headers: { 'Content-Type': 'application/json' } })
  } catch (err) {
    console.error('${name}: falha ao gravar mensagem', err)
    return new Response('Internal error', { status: 500 })
  }
})
`;
}

function resendFunction(rand, name, logsEmail) {
  const log = logsEmail
    ? `    console.log('enviando e-mail para', consulta.patients.email)\n`
    : '';
  const who = rand.pick(FIRST_NAMES);
  return `// Envia ao paciente o e-mail de confirmação da consulta (Resend): ${name}.
// Chamada pelo painel com o JWT do usuário (verify_jwt ligado): o RLS decide o que ele enxerga.
import { createClient } from 'https://esm.sh/@supabase/supabase-js@2'
import { corsHeaders, jsonHeaders } from '../_shared/cors.ts'

const RESEND_API_KEY = Deno.env.get('RESEND_API_KEY')!
const EMAIL_FROM = Deno.env.get('EMAIL_FROM')!

type SendEmailRequest = { appointment_id?: string }

function formatarDataHora(iso: string): string {
  return new Intl.DateTimeFormat('pt-BR', { dateStyle: 'full', timeStyle: 'short', timeZone: 'America/Sao_Paulo' }).format(new Date(iso))
}

Deno.serve(async (req) => {
  if (req.method === 'OPTIONS') {
    return new Response('ok', { headers: corsHeaders })
  }

  try {
    const authHeader = req.headers.get('Authorization')
    if (!authHeader) {
      return new Response(JSON.stringify({ error: 'Missing Authorization header' }), { status: 401, headers: jsonHeaders })
    }
    const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
      global: { headers: { Authorization: authHeader } },
    })
    const { data: { user }, error: authError } = await supabase.auth.getUser()
    if (authError || !user) {
      return new Response(JSON.stringify({ error: 'Unauthorized' }), { status: 401, headers: jsonHeaders })
    }

    const { appointment_id } = (await req.json()) as SendEmailRequest
    if (!appointment_id) {
      return new Response(JSON.stringify({ error: 'appointment_id é obrigatório' }), { status: 400, headers: jsonHeaders })
    }
    const { data: consulta, error: consultaError } = await supabase.from('appointments').select('id, clinic_id, patient_id, starts_at, clinics(name), patients(nome, email)').eq('id', appointment_id).maybeSingle()
    if (consultaError) throw consultaError
    if (!consulta || !consulta.patients?.email) {
      return new Response(JSON.stringify({ error: 'Consulta não encontrada' }), { status: 404, headers: jsonHeaders })
    }
${log}
    const resposta = await fetch('https://api.resend.com/emails', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: \`Bearer \${RESEND_API_KEY}\` },
      body: JSON.stringify({
        from: EMAIL_FROM,
        to: [consulta.patients.email],
        subject: \`Consulta confirmada – \${consulta.clinics.name}\`,
        html: \`<p>Olá, \${consulta.patients.nome}!</p><p>Sua consulta está confirmada para <strong>\${formatarDataHora(consulta.starts_at)}</strong>.</p><p>Equipe (${who})</p>\`,
      }),
    })
    if (!resposta.ok) {
      console.error('${name}: Resend respondeu com erro', { status: resposta.status, clinic_id: consulta.clinic_id })
      return new Response(JSON.stringify({ error: 'Falha ao enviar e-mail' }), { status: 502, headers: jsonHeaders })
    }
    const { id: resendId } = (await resposta.json()) as { id: string }

    console.info({ event: 'appointment_email_sent', clinic_id: consulta.clinic_id, appointment_id: consulta.id, resend_id: resendId, at: new Date().toISOString() })
    return new Response(JSON.stringify({ sent: true, id: resendId }), { status: 200, headers: jsonHeaders })
  } catch (err) {
    console.error('${name}: erro inesperado', err)
    return new Response(JSON.stringify({ error: 'Erro interno' }), { status: 500, headers: jsonHeaders })
  }
})
`;
}

/** A column each core table lets the panel edit. */
const EDITABLE = { appointments: 'reschedule_reason', patients: 'telefone', payments: 'status', messages: 'body' };

function honoFunction(rand, name, table, unscoped) {
  const update = unscoped
    ? `    // A policy de update barrava a recepção; a rota passou a usar o service role.\n    const { data: row, error } = await supabaseAdmin.from('${table}').update({ ...changes, updated_by: user.id }).eq('id', id).select('id, clinic_id').single()`
    : `    const { data: row, error } = await supabaseAdmin.from('${table}').update({ ...changes, updated_by: user.id }).eq('id', id).eq('clinic_id', clinicId).select('id, clinic_id').single()`;
  return `// API do painel (${name}), em Hono. Leituras com o JWT de quem chamou; a escrita usa o service role.
import { Hono } from 'jsr:@hono/hono@^4.6'
import { cors } from 'jsr:@hono/hono@^4.6/cors'
import { createUserClient } from '../_shared/supabaseClient.ts'
import { supabaseAdmin } from '../_shared/supabaseAdmin.ts'

const app = new Hono().basePath('/${name}')

app.use('*', cors())

app.get('/${table}', async (c) => {
  const authorization = c.req.header('Authorization')
  if (!authorization) {
    return c.json({ error: 'Não autenticado' }, 401)
  }
  const supabase = createUserClient(authorization)
  const { data, error } = await supabase.from('${table}').select('id, clinic_id, created_at').order('created_at', { ascending: false }).limit(${rand.pick([20, 50, 100])})
  if (error) throw error
  return c.json({ items: data })
})

app.patch('/${table}/:id', async (c) => {
  const authorization = c.req.header('Authorization')
  if (!authorization) {
    return c.json({ error: 'Não autenticado' }, 401)
  }
  const supabase = createUserClient(authorization)
  const { data: { user }, error: authError } = await supabase.auth.getUser()
  if (authError || !user) {
    return c.json({ error: 'Unauthorized' }, 401)
  }
  const id = c.req.param('id')
  const clinicId = c.req.header('x-clinic-id')
  if (!clinicId) {
    return c.json({ error: 'x-clinic-id é obrigatório' }, 400)
  }
  const body = await c.req.json<Record<string, string | undefined>>()
  const changes = { ${EDITABLE[table]}: body.${EDITABLE[table]} ?? null }
  const { data: member } = await supabase.from('clinic_members').select('clinic_id').eq('clinic_id', clinicId).eq('user_id', user.id).maybeSingle()
  if (!member) {
    return c.json({ error: 'Sem acesso a esta clínica' }, 403)
  }
${update}
  if (error) throw error
  console.info({ event: '${table}_updated', clinic_id: row.clinic_id, id: row.id, user_id: user.id, at: new Date().toISOString() })
  return c.json({ id: row.id })
})

app.onError((err, c) => {
  console.error('${name}: erro inesperado', err)
  return c.json({ error: 'Erro interno' }, 500)
})

Deno.serve(app.fetch)
`;
}

function stdFunction(rand, name, table, unscoped) {
  const filter = unscoped ? '' : `.eq('clinic_id', clinic.id)`;
  return `// Rotina interna (${name}): chamada pelo cron com o service role, uma clínica por vez.
import { serve } from 'https://deno.land/std@0.168.0/http/server.ts'
import { timingSafeEqual } from 'jsr:@std/crypto@1/timing-safe-equal'
import { supabaseAdmin } from '../_shared/supabaseAdmin.ts'
import { corsHeaders } from '../_shared/cors.ts'

const encoder = new TextEncoder()

/** O cron manda \`Authorization: Bearer <CRON_SECRET>\`; comparação em tempo constante. */
function isCron(header: string | null): boolean {
  const secret = Deno.env.get('CRON_SECRET')
  if (!secret || !header) return false
  return timingSafeEqual(encoder.encode(header), encoder.encode(\`Bearer \${secret}\`))
}

serve(async (req) => {
  if (req.method === 'OPTIONS') {
    return new Response('ok', { headers: corsHeaders })
  }
  if (!isCron(req.headers.get('Authorization'))) {
    return new Response('Unauthorized', { status: 401 })
  }
  try {
    const { clinic_id: clinicId, id } = (await req.json()) as { clinic_id?: string; id?: string }
    if (!clinicId || !id) {
      return new Response(JSON.stringify({ error: 'clinic_id e id são obrigatórios' }), { status: 400 })
    }
    const { data: clinic, error: clinicError } = await supabaseAdmin.from('clinics').select('id').eq('id', clinicId).maybeSingle()
    if (clinicError) throw clinicError
    if (!clinic) {
      return new Response(JSON.stringify({ error: 'clínica não encontrada' }), { status: 404 })
    }
    const { error } = await supabaseAdmin.from('${table}').update({ ${rand.pick(['status: \'processed\'', 'sent_at: new Date().toISOString()', 'reschedule_reason: null'])} }).eq('id', id)${filter}
    if (error) throw error
    console.info({ event: '${name.replace(/-/g, '_')}_done', clinic_id: clinic.id, at: new Date().toISOString() })
    return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { ...corsHeaders, 'Content-Type': 'application/json' } })
  } catch (err) {
    console.error('${name}: falhou', err)
    return new Response(JSON.stringify({ error: 'Erro interno' }), { status: 500 })
  }
})
`;
}

function fetchFunction(rand, name, table, catch200) {
  const failure = catch200
    ? `      console.error('${name}: erro', err)\n      return new Response(JSON.stringify({ ok: false, error: 'Tente novamente' }), { status: 200 })`
    : `      console.error('${name}: erro', err)\n      return new Response(JSON.stringify({ error: 'Erro interno' }), { status: 500 })`;
  return `// ${name}: handler no formato \`export default { fetch }\`.
import { createUserClient } from '../_shared/supabaseClient.ts'
import { jsonHeaders } from '../_shared/cors.ts'

export default {
  async fetch(req: Request): Promise<Response> {
    try {
      const authorization = req.headers.get('Authorization')
      if (!authorization) {
        return new Response(JSON.stringify({ error: 'Not authenticated' }), { status: 401, headers: jsonHeaders })
      }
      const supabase = createUserClient(authorization)
      const { data: { user }, error: authError } = await supabase.auth.getUser()
      if (authError || !user) {
        return new Response(JSON.stringify({ error: 'Unauthorized' }), { status: 401, headers: jsonHeaders })
      }
      const url = new URL(req.url)
      const limit = Number(url.searchParams.get('limit') ?? '${rand.pick([10, 25, 50])}')
      const { data, error } = await supabase.from('${table}').select('id, clinic_id, created_at').limit(limit)
      if (error) throw error
      return new Response(JSON.stringify({ items: data }), { status: 200, headers: jsonHeaders })
    } catch (err) {
${failure}
    }
  },
}
`;
}

function validateModule(rand, name) {
  const fields = rand.sample(['clinic_id', 'appointment_id', 'patient_id', 'starts_at', 'ends_at', 'motivo', 'valor_centavos', 'canal'], rand.int(2, 5));
  return `// Validação do corpo de ${name}. Sem dependências: roda igual no Deno e nos testes.

export type Body = {
${fields.map((f) => `  ${f}?: string`).join('\n')}
}

export type Validation = { ok: true; body: Required<Body> } | { ok: false; error: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function validate(input: unknown): Validation {
  if (typeof input !== 'object' || input === null) return { ok: false, error: 'corpo inválido' }
  const body = input as Body
${fields
  .map((f) =>
    f.endsWith('_id')
      ? `  if (!body.${f} || !UUID.test(body.${f})) return { ok: false, error: '${f} inválido' }`
      : `  if (!body.${f}) return { ok: false, error: '${f} é obrigatório' }`,
  )
  .join('\n')}
  return { ok: true, body: body as Required<Body> }
}

export function parseDate(value: string): Date | null {
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}
`;
}

function typesModule(rand, name) {
  return `// Tipos compartilhados por ${name}.

export interface Clinic {
  id: string
  name: string
  timezone: string
}

export interface Row {
  id: string
  clinic_id: string
  created_at: string
  status: '${rand.pick(['pendente', 'pending'])}' | 'confirmado' | 'cancelado'
}

export type Result<T> = { data: T; error: null } | { data: null; error: { message: string } }
`;
}

// ---------------------------------------------------------------------------------------------
// Project
// ---------------------------------------------------------------------------------------------

function configToml(publicFunctions) {
  return `# For detailed configuration reference documentation, visit:
# https://supabase.com/docs/guides/local-development/cli/config
project_id = "clinica-bench"

[api]
enabled = true
port = 54321
schemas = ["public", "graphql_public"]
extra_search_path = ["public", "extensions"]
max_rows = 1000

[db]
port = 54322
shadow_port = 54320
major_version = 15

[db.seed]
enabled = true
sql_paths = ["./seed.sql"]

[auth]
enabled = true
site_url = "http://127.0.0.1:5173"
additional_redirect_urls = ["https://app.clinicafacil.com.br"]
jwt_expiry = 3600

[edge_runtime]
enabled = true
policy = "oneshot"
inspector_port = 8083

# Webhooks públicos: quem chama não tem JWT do Supabase, a função valida a origem por conta própria.
${publicFunctions.map((name) => `[functions.${name}]\nverify_jwt = false\n`).join('\n')}`;
}

const ENV_EXAMPLE = `# Segredos das edge functions. Copie para supabase/functions/.env para rodar localmente
# e cadastre em produção com \`supabase secrets set --env-file supabase/functions/.env\`.
# SUPABASE_URL, SUPABASE_ANON_KEY e SUPABASE_SERVICE_ROLE_KEY são injetadas pela plataforma.

# Stripe
STRIPE_SECRET_KEY=sk_test_...
STRIPE_WEBHOOK_SECRET=whsec_...

# Resend
RESEND_API_KEY=re_...
EMAIL_FROM="Clínica Fácil <nao-responda@clinicafacil.com.br>"

# Evolution API / WhatsApp
EVOLUTION_API_URL=https://evolution.clinicafacil.com.br
EVOLUTION_WEBHOOK_SECRET=

# Cron (rotinas internas)
CRON_SECRET=
`;

/**
 * Generates the project in memory: { files: Map<relativePath, text>, manifest }.
 * `relativePath` uses forward slashes; the map is in a fixed (sorted) order.
 */
export function generateProjectFiles(options = {}) {
  const functions = options.functions ?? DEFAULTS.functions;
  const migrations = options.migrations ?? DEFAULTS.migrations;
  const seed = options.seed ?? DEFAULTS.seed;
  const rand = createRandom(seed);
  const sql = generateMigrations(rand, migrations);
  const fns = generateFunctions(rand, functions);

  const out = new Map();
  out.set('supabase/config.toml', configToml(fns.publicFunctions));
  out.set('supabase/functions/.env.example', ENV_EXAMPLE);
  out.set('supabase/seed.sql', "insert into public.clinics (id, name) values ('00000000-0000-0000-0000-000000000001', 'Clínica Bench');\n");
  for (const f of sql.files) out.set(`supabase/migrations/${f.name}`, f.text);
  for (const f of fns.files) out.set(`supabase/functions/${f.path}`, f.text);
  const functionFiles = fns.files.length;
  const manifest = {
    generator: 'supagate bench/generate.js',
    options: { functions, migrations, seed },
    counts: { migrations: sql.files.length, functionFiles, functions, files: out.size + 1 },
    bytes: { migrations: sumBytes(sql.files.map((f) => f.text)), functions: sumBytes(fns.files.map((f) => f.text)) },
    planted: { sql: sortKeys(sql.planted), functions: sortKeys(fns.planted) },
  };
  out.set('bench-manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return { files: new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), manifest };
}

function sumBytes(texts) {
  return texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
}

function sortKeys(obj) {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Writes the generated project to `out` (emptied first when it is a previous output). Returns the manifest. */
export function generateProject(out, options = {}) {
  const dir = path.resolve(out);
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`${out} exists and was not made by bench/generate.js (no ${MARKER}); refusing to overwrite it`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const { files, manifest } = generateProjectFiles(options);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, MARKER), 'generated by bench/generate.js; safe to delete\n');
  const made = new Set();
  for (const [rel, text] of files) {
    const file = path.join(dir, rel);
    const parent = path.dirname(file);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(file, text);
  }
  return manifest;
}

function main() {
  const { values } = parseArgs({
    options: {
      functions: { type: 'string' },
      migrations: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string', default: 'bench/out/project' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('node bench/generate.js [--functions N] [--migrations M] [--seed S] [--out DIR]\n');
    return;
  }
  const num = (v, d) => (v === undefined ? d : Number.parseInt(v, 10));
  const seed = values.seed === undefined ? DEFAULTS.seed : /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const manifest = generateProject(values.out, {
    functions: num(values.functions, DEFAULTS.functions),
    migrations: num(values.migrations, DEFAULTS.migrations),
    seed,
  });
  process.stdout.write(`${values.out}: ${manifest.counts.migrations} migrations, ${manifest.counts.functions} functions (${manifest.counts.functionFiles} files)\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
