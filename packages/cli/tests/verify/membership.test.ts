import { lintMigrations } from '@supagate/sql-lint';
import { discoverProject } from '../../src/project.js';
import { runVerify, type VerifyResult } from '../../src/verify/index.js';
import { enableTemplateCache } from '../../src/verify/supabase-shim.js';
import { tempProject } from '../helpers.js';

// Membership as two public projects build it: a trigger on auth.users creates the profile that
// carries the clinic, and the members table references that profile instead of auth.users.
const SCHEMA = `create table public.clinics (
  id uuid primary key default gen_random_uuid(),
  nome text not null
);
alter table public.clinics enable row level security;

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  clinic_id uuid references public.clinics (id),
  email text unique
);
alter table public.profiles enable row level security;
create policy "own profile" on public.profiles for select to authenticated using (id = auth.uid());

create function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, email) values (new.id, new.email);
  return new;
end $$;
create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_user();

create table public.team_members (
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  primary key (clinic_id, user_id)
);
alter table public.team_members enable row level security;
create policy "members see their team" on public.team_members for select to authenticated
  using (clinic_id in (select p.clinic_id from public.profiles p where p.id = auth.uid()));

create table public.pacientes (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  nome text not null
);
alter table public.pacientes enable row level security;
create policy "equipe vê pacientes" on public.pacientes for all to authenticated
  using (clinic_id in (select m.clinic_id from public.team_members m where m.user_id = auth.uid()))
  with check (clinic_id in (select m.clinic_id from public.team_members m where m.user_id = auth.uid()));
`;

// Seed data Postgres rejects: its messages quote the values, which may be keys pasted by mistake.
const SEED = `insert into public.clinics (id, nome) values ('sk_live_51H8xY2KZvKYlo2C8t0dUoR9f2c', 'Clínica Centro');
insert into public.clinics (nome) values (null);
`;

// A trigger that puts every new row in the member's own clinic: an INSERT "for clinic B" lands in A.
const TRIGGER_TENANT = `create table public.profissionais (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid references public.clinics (id) on delete cascade,
  nome text not null
);
alter table public.profissionais enable row level security;
create function public.current_clinic_id() returns uuid
language sql stable security definer set search_path = '' as $$
  select p.clinic_id from public.profiles p where p.id = auth.uid()
$$;
create function public.set_clinic_id() returns trigger language plpgsql as $$
begin
  if auth.uid() is not null then new.clinic_id := public.current_clinic_id(); end if;
  return new;
end $$;
create trigger set_clinic_id before insert on public.profissionais
  for each row execute function public.set_clinic_id();
create policy "equipe insere profissionais" on public.profissionais for insert to authenticated with check (true);
create policy "equipe vê profissionais" on public.profissionais for select to authenticated
  using (clinic_id = public.current_clinic_id());
`;

// pgvector, which PGlite does not ship: a stand-in type keeps the table and the search function.
const VECTOR = `create extension if not exists vector with schema extensions;
create table public.documentos (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  conteudo text not null,
  embedding vector(1536)
);
create index documentos_embedding_idx on public.documentos using hnsw (embedding vector_cosine_ops);
create function public.buscar_documentos(consulta vector(1536), limite int)
returns table (id uuid, similaridade double precision) language sql stable as $$
  select d.id, 1 - (d.embedding <=> consulta) from public.documentos d order by d.embedding <=> consulta limit limite
$$;
`;

// Suppressions of verify's rules, written where sql-lint's go.
const ACCEPTED = `create table public.servicos (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  nome text not null
);
alter table public.servicos enable row level security;
-- supagate-ignore tenant-leak -- the service catalogue is public on the booking page
create policy "catálogo público" on public.servicos for select using (true);

-- supagate-ignore tenant-leak -- nothing leaks here: this one should be reported as unused
create policy "equipe edita serviços" on public.servicos for update to authenticated
  using (clinic_id in (select m.clinic_id from public.team_members m where m.user_id = auth.uid()));
`;

let result: VerifyResult;
beforeAll(async () => {
  enableTemplateCache();
  result = await runVerify(discoverProject(tempProject({ 'supabase/migrations/20240101000000_schema.sql': SCHEMA, 'supabase/migrations/20240102000000_seed.sql': SEED, 'supabase/migrations/20240103000000_accepted.sql': ACCEPTED, 'supabase/migrations/20240104000000_trigger.sql': TRIGGER_TENANT, 'supabase/migrations/20240105000000_vector.sql': VECTOR })), {});
}, 600_000);

describe('membership the probe has to work for', () => {
  it('updates the profile a trigger created instead of inserting a second one, and creates the member row', () => {
    expect(result.membership.failed).toEqual([]);
    expect(result.membership.tables).toEqual(['public.profiles', 'public.team_members']);
  });

  it('so the member sees their own clinic and the tables are proven isolated', () => {
    const pacientes = result.probed.find((p) => p.table === 'public.pacientes');
    expect(pacientes).toMatchObject({ leaks: [], anonLeaks: [], isolated: ['SELECT', 'UPDATE', 'DELETE', 'INSERT'], ownRowVisible: true });
    expect(result.findings.filter((f) => f.ruleId === '@supagate/tenant-leak')).toEqual([]);
  });
});

describe('migration errors about data', () => {
  const errors = () => result.findings.filter((f) => f.ruleId === '@supagate/migration-error' && f.file.endsWith('_seed.sql'));

  it('masks a key that Postgres quotes back, and leaves out the failing row', () => {
    expect(errors().map((f) => f.line)).toEqual([1, 2]);
    const [badUuid, nullName] = errors();
    expect(badUuid.message).toContain('invalid input syntax for type uuid');
    expect(badUuid.message).not.toContain('sk_live_51H8xY2KZvKYlo2C8t0dUoR9f2c');
    expect(badUuid.message).toMatch(/sk_live_…9f2c/);
    expect(nullName.message).toContain('null value in column "nome"');
    expect(nullName.message).not.toContain('Failing row contains');
  });
});

describe('suppressions of verify rules', () => {
  it('honours -- supagate-ignore tenant-leak on the policy, and reports one that silences nothing', () => {
    expect(result.probed.find((p) => p.table === 'public.servicos')).toMatchObject({ leaks: ['SELECT'], anonLeaks: ['SELECT'] });
    expect(result.findings.filter((f) => f.ruleId === '@supagate/tenant-leak')).toEqual([]);
    const unused = result.findings.filter((f) => f.ruleId === '@supagate/unused-suppression');
    expect(unused).toEqual([expect.objectContaining({ file: 'supabase/migrations/20240103000000_accepted.sql', line: 10, severity: 'warning' })]);
    expect(unused[0].message).toContain('supagate-ignore tenant-leak suppresses nothing on the next statement');
  });

  it('is not an unknown rule to sql-lint', async () => {
    const { diagnostics } = await lintMigrations([{ path: 'supabase/migrations/20240103000000_accepted.sql', text: ACCEPTED }], { tenantColumn: 'clinic_id' });
    expect(diagnostics.filter((d) => d.ruleId === 'unused-suppression')).toEqual([]);
  });
});

describe('rows a trigger moves', () => {
  it('does not call an INSERT a leak when a BEFORE INSERT trigger puts the row in the member\'s own clinic', () => {
    expect(result.probed.find((p) => p.table === 'public.profissionais')).toMatchObject({ leaks: [], isolated: ['SELECT', 'UPDATE', 'DELETE', 'INSERT'], ownRowVisible: true });
  });
});

describe('extensions PGlite lacks', () => {
  it('stands in for pgvector: the table and the search function apply, the hnsw index is skipped with a note', () => {
    const inFile = result.findings.filter((f) => f.file === 'supabase/migrations/20240105000000_vector.sql' && f.ruleId === '@supagate/migration-error');
    expect(inFile.filter((f) => f.severity === 'error')).toEqual([]);
    expect(inFile.map((f) => [f.line, f.severity])).toEqual([
      [1, 'info'],
      [8, 'info'],
    ]);
    expect(inFile[1].message).toContain('index method "hnsw" belongs to the extension "vector"');
  });
});
