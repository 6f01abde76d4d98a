import { discoverProject } from '../../src/project.js';
import { runVerify, type VerifyResult } from '../../src/verify/index.js';
import { enableTemplateCache } from '../../src/verify/supabase-shim.js';
import { tempProject } from '../helpers.js';

// One project with a table per case: PGlite takes a while to start, so the whole file shares one run.
const TENANCY = `-- Clinics and their members.
create table public.clinics (
  id uuid primary key default gen_random_uuid(),
  name text not null
);

create table public.clinic_members (
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'staff' check (role in ('owner', 'staff')),
  primary key (clinic_id, user_id)
);

create function public.is_clinic_member(p_clinic_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.clinic_members m
    where m.clinic_id = p_clinic_id and m.user_id = (select auth.uid())
  );
$$;

alter table public.clinics enable row level security;
alter table public.clinic_members enable row level security;

create policy "members read their team" on public.clinic_members
  for select to authenticated
  using (public.is_clinic_member(clinic_id));
`;

const TABLES = `-- Patients: isolated through the security-definer helper.
create table public.patients (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  nome text not null,
  cpf text not null,
  data_nascimento date,
  unique (clinic_id, cpf)
);
alter table public.patients enable row level security;
create policy "members manage patients" on public.patients
  for all to authenticated
  using (public.is_clinic_member(clinic_id))
  with check (public.is_clinic_member(clinic_id));

-- Rooms: a "temporary" fix that lets every signed-in user read every clinic's rooms.
create table public.rooms (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  nome text not null
);
alter table public.rooms enable row level security;
create policy "signed-in users read rooms" on public.rooms
  for select to authenticated
  using (true);

-- Invoices: reads are scoped, writes are not.
create table public.invoices (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  patient_id uuid not null references public.patients (id) on delete cascade,
  amount_cents integer not null check (amount_cents >= 0),
  status text not null check (status in ('open', 'paid')),
  issued_at timestamptz not null,
  due_at timestamptz not null,
  check (due_at > issued_at)
);
alter table public.invoices enable row level security;
create policy "members read invoices" on public.invoices
  for select to authenticated
  using (public.is_clinic_member(clinic_id));
create policy "members add invoices" on public.invoices
  for insert to authenticated
  with check (true);
create policy "members edit invoices" on public.invoices
  for update to authenticated
  using (true);
create policy "members delete invoices" on public.invoices
  for delete to authenticated
  using (true);

-- Documents: any member of any clinic reads every clinic's documents.
create table public.documents (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  title text not null
);
alter table public.documents enable row level security;
create policy "members read documents" on public.documents
  for select to authenticated
  using (exists (select 1 from public.clinic_members m where m.user_id = auth.uid()));

-- Audit log: no RLS at all.
create table public.audit_log (
  id bigint generated always as identity primary key,
  clinic_id uuid not null references public.clinics (id),
  event text not null
);
`;

const JWT = `-- Lab orders: the clinic comes from the token's app_metadata (set by an auth hook).
create table public.lab_orders (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  exame text not null
);
alter table public.lab_orders enable row level security;
create policy "clinic from the token" on public.lab_orders
  for all to authenticated
  using ((auth.jwt() -> 'app_metadata' ->> 'clinic_id')::uuid = clinic_id)
  with check ((auth.jwt() -> 'app_metadata' ->> 'clinic_id')::uuid = clinic_id);

-- Tasks: a custom claim name.
create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  title text not null
);
alter table public.tasks enable row level security;
create policy "org from the token" on public.tasks
  for select to authenticated
  using (clinic_id = (auth.jwt() -> 'app_metadata' ->> 'org')::uuid);
`;

const BROKEN = `-- Reminders every night (pg_cron is not in PGlite).
create extension if not exists pg_cron with schema pg_catalog;

select cron.schedule('nightly-cleanup', '0 3 * * *', $$delete from public.rooms where false$$);

create policy "typo in the column" on public.patients
  for select to authenticated
  using (public.is_clinic_member(clinica_id));

create function public.count_visits() returns bigint
language sql
as $$ select count(*) from public.visits $$;

create table public.after_errors (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade
);
alter table public.after_errors enable row level security;
create policy "members read after_errors" on public.after_errors
  for select to authenticated
  using (public.is_clinic_member(clinic_id));
`;

// Shapes met in public projects: a required number with a CHECK range, and membership through a
// profile whose role is an array of an enum that the policy also checks.
const SHAPES = `create type public.staff_role as enum ('reception', 'professional', 'admin');

create table public.staff_profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  roles public.staff_role[] not null default '{reception}'
);
alter table public.staff_profiles enable row level security;
create policy "members read staff" on public.staff_profiles
  for select to authenticated
  using (public.is_clinic_member(clinic_id));

create table public.opening_hours (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  weekday smallint not null check (weekday between 0 and 6),
  kind varchar(20) not null check (kind in ('consulta', 'retorno')),
  slot_minutes int not null check (slot_minutes > 4 and 120 >= slot_minutes)
);
alter table public.opening_hours enable row level security;
create policy "admins manage opening hours" on public.opening_hours
  for all to authenticated
  using (clinic_id = (select p.clinic_id from public.staff_profiles p where p.id = auth.uid() and 'admin' = any (p.roles)))
  with check (clinic_id = (select p.clinic_id from public.staff_profiles p where p.id = auth.uid() and 'admin' = any (p.roles)));

-- A policy with no TO clause applies to every role, anon included.
create table public.price_list (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  item text not null,
  price_cents int not null check (price_cents >= 0)
);
alter table public.price_list enable row level security;
create policy "price list is public" on public.price_list
  for select
  using (true);
create policy "members manage prices" on public.price_list
  for all to authenticated
  using (public.is_clinic_member(clinic_id))
  with check (public.is_clinic_member(clinic_id));

-- Views over patients: the first runs with its owner's rights, the second as the caller.
create view public.patient_directory as
  select id, clinic_id, nome from public.patients;
create view public.patient_directory_safe with (security_invoker = true) as
  select id, clinic_id, nome from public.patients;

-- The tenant table: members may rename their own clinic only.
create policy "members rename their clinic" on public.clinics
  for update to authenticated
  using (public.is_clinic_member(id))
  with check (public.is_clinic_member(id));
`;

const FILES = {
  'supabase/migrations/20240101000000_tenancy.sql': TENANCY,
  'supabase/migrations/20240102000000_tables.sql': TABLES,
  'supabase/migrations/20240103000000_jwt.sql': JWT,
  'supabase/migrations/20240104000000_broken.sql': BROKEN,
  'supabase/migrations/20240105000000_shapes.sql': SHAPES,
};

function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`not found: ${needle}`);
  return text.slice(0, index).split('\n').length;
}

// The same cases on the embedded Postgres and, when a server is given (CI starts one), on a real
// Postgres through --database-url: both back ends must reach the same verdicts.
const DATABASE_URL = process.env.SUPAGATE_TEST_DATABASE_URL;
const BACKENDS: Array<{ name: string; databaseUrl?: string }> = [
  { name: 'PGlite' },
  ...(DATABASE_URL ? [{ name: 'Postgres (--database-url)', databaseUrl: DATABASE_URL }] : []),
];
if (!DATABASE_URL) {
  describe('on a real Postgres', () => {
    it.skip('needs SUPAGATE_TEST_DATABASE_URL (bash .ci/run installs and starts one)', () => {});
  });
}

describe.each(BACKENDS)('$name', ({ databaseUrl }) => {
  let result: VerifyResult;
  beforeAll(async () => {
    enableTemplateCache();
    result = await runVerify(discoverProject(tempProject(FILES)), { databaseUrl });
  }, 600_000);

  const leaks = () => result.findings.filter((f) => f.ruleId === '@supagate/tenant-leak');
  const probed = (table: string) => result.probed.find((p) => p.table === table);

  describe('tenant-isolation probe', () => {
    it('catches a USING (true) policy and reports it at the policy', () => {
      const rooms = leaks().filter((f) => f.object === 'public.rooms');
      expect(rooms).toHaveLength(1);
      expect(rooms[0]).toMatchObject({
        severity: 'error',
        gate: 'tenant-isolation',
        file: 'supabase/migrations/20240102000000_tables.sql',
        line: lineOf(TABLES, 'create policy "signed-in users read rooms"'),
      });
      expect(rooms[0].message).toContain('SELECT');
      expect(rooms[0].message).toContain('"signed-in users read rooms"');
      expect(probed('public.rooms')).toMatchObject({ leaks: ['SELECT'], isolated: ['UPDATE', 'DELETE', 'INSERT'] });
    });

    it('proves an is_clinic_member(clinic_id) security-definer policy isolated for every operation', () => {
      expect(probed('public.patients')).toEqual({
        table: 'public.patients',
        leaks: [],
        isolated: ['SELECT', 'UPDATE', 'DELETE', 'INSERT'],
        inconclusive: [],
        ownRowVisible: true,
        anonLeaks: [],
      });
      expect(result.membership.tables).toContain('public.clinic_members');
    });

    it('proves a JWT-claim policy isolated, with the member seeing their own clinic', () => {
      expect(probed('public.lab_orders')).toMatchObject({ leaks: [], isolated: ['SELECT', 'UPDATE', 'DELETE', 'INSERT'], ownRowVisible: true });
      // A claim under another name is read from the policy and set too.
      expect(result.membership.claimKeys).toContain('org');
      expect(probed('public.tasks')).toMatchObject({ leaks: [], ownRowVisible: true });
    });

    it('names the operation and the policy for write leaks', () => {
      const invoices = leaks().filter((f) => f.object === 'public.invoices');
      const byOperation = (op: string) => invoices.find((f) => f.message.includes(`can ${op}`));
      expect(byOperation('INSERT')?.line).toBe(lineOf(TABLES, 'create policy "members add invoices"'));
      expect(byOperation('UPDATE')?.line).toBe(lineOf(TABLES, 'create policy "members edit invoices"'));
      expect(byOperation('DELETE')?.line).toBe(lineOf(TABLES, 'create policy "members delete invoices"'));
      expect(byOperation('INSERT')?.message).toContain('"members add invoices"');
      expect(probed('public.invoices')).toMatchObject({ leaks: ['UPDATE', 'DELETE', 'INSERT'], isolated: ['SELECT'] });
    });

    it('makes the user a member through the membership table, so member-only leaks show', () => {
      expect(probed('public.documents')?.leaks).toEqual(['SELECT']);
      expect(leaks().find((f) => f.object === 'public.documents')?.line).toBe(lineOf(TABLES, 'create policy "members read documents"'));
    });

    it('fills a required number inside its CHECK range, and gives the member the admin role of an enum array', () => {
      expect(probed('public.opening_hours')).toEqual({
        table: 'public.opening_hours',
        leaks: [],
        isolated: ['SELECT', 'UPDATE', 'DELETE', 'INSERT'],
        inconclusive: [],
        ownRowVisible: true,
        anonLeaks: [],
      });
      expect(result.membership.tables).toContain('public.staff_profiles');
    });

    it('probes as anon too: a policy without TO reaches clients that never signed in', () => {
      expect(probed('public.price_list')).toMatchObject({ leaks: ['SELECT'], anonLeaks: ['SELECT'], ownRowVisible: true });
      const anon = leaks().filter((f) => f.object === 'public.price_list' && f.message.includes('without signing in'));
      expect(anon).toHaveLength(1);
      expect(anon[0]).toMatchObject({ line: lineOf(SHAPES, 'create policy "price list is public"'), file: 'supabase/migrations/20240105000000_shapes.sql' });
      expect(anon[0].message).toContain('anyone, without signing in (role anon), can SELECT clinic rows of public.price_list');
      expect(anon[0].message).toContain('"price list is public"');
      // Tables whose policies name authenticated are closed to anon.
      expect(probed('public.rooms')?.anonLeaks).toEqual([]);
    });

    it('probes views: one that bypasses the RLS of its table leaks to members and to anon; a security_invoker one is isolated', () => {
      expect(probed('public.patient_directory')).toMatchObject({ leaks: ['SELECT'], anonLeaks: ['SELECT'], ownRowVisible: true });
      const found = leaks().filter((f) => f.object === 'public.patient_directory');
      expect(found.map((f) => f.line)).toEqual([lineOf(SHAPES, 'create view public.patient_directory as'), lineOf(SHAPES, 'create view public.patient_directory as')]);
      expect(found[0].message).toContain("can SELECT another clinic's rows through the view public.patient_directory");
      expect(found[0].message).toContain('no security_invoker');
      expect(probed('public.patient_directory_safe')).toEqual({
        table: 'public.patient_directory_safe',
        leaks: [],
        isolated: ['SELECT'],
        inconclusive: [],
        ownRowVisible: true,
        anonLeaks: [],
      });
    });

    it('probes the tenant table itself: another clinic cannot be read, renamed or deleted', () => {
      expect(probed('public.clinics')).toEqual({
        table: 'public.clinics',
        leaks: [],
        isolated: ['SELECT', 'UPDATE', 'DELETE'],
        inconclusive: [],
        ownRowVisible: false,
        anonLeaks: [],
      });
    });

    it('lists a table it cannot probe with the reason, never passing it silently', () => {
      expect(result.skipped).toEqual([{ table: 'public.audit_log', reason: expect.stringContaining('row level security is disabled') }]);
      const finding = result.findings.find((f) => f.ruleId === '@supagate/probe-skipped' && f.object === 'public.audit_log');
      expect(finding).toMatchObject({ severity: 'info', line: lineOf(TABLES, 'create table public.audit_log') });
    });

    it('finds no leak in the isolated tables', () => {
      const leaking = new Set(leaks().map((f) => f.object));
      expect([...leaking].sort()).toEqual(['public.documents', 'public.invoices', 'public.patient_directory', 'public.price_list', 'public.rooms']);
    });
  });

  describe('replay', () => {
    const errors = () => result.findings.filter((f) => f.ruleId === '@supagate/migration-error' && f.severity === 'error');

    it('reports a policy naming a column that does not exist at its file and line, with Postgres\'s message', () => {
      const typo = errors().find((f) => f.message.includes('clinica_id'));
      expect(typo).toMatchObject({
        gate: 'migration',
        file: 'supabase/migrations/20240104000000_broken.sql',
        line: lineOf(BROKEN, 'create policy "typo in the column"'),
      });
      expect(typo?.message).toContain('column "clinica_id" does not exist');
    });

    it('compiles function bodies (check_function_bodies = on)', () => {
      const body = errors().find((f) => f.message.includes('public.visits'));
      expect(body?.file).toBe('supabase/migrations/20240104000000_broken.sql');
      expect(body?.line).toBeGreaterThanOrEqual(lineOf(BROKEN, 'create function public.count_visits'));
      expect(body?.line).toBeLessThanOrEqual(lineOf(BROKEN, 'as $$ select count(*) from public.visits'));
      expect(errors()).toHaveLength(2);
    });

    it('does not stop at create extension pg_cron: stand-ins keep cron.schedule working and the rest applies', () => {
      const info = result.findings.find((f) => f.ruleId === '@supagate/migration-error' && f.severity === 'info');
      expect(info).toMatchObject({ line: lineOf(BROKEN, 'create extension if not exists pg_cron') });
      expect(info?.message).toContain('pg_cron');
      expect(result.stats.missingExtensions).toEqual(['pg_cron']);
      expect(probed('public.after_errors')).toMatchObject({ leaks: [], ownRowVisible: true });
      expect(result.stats.rejected).toBe(2);
      expect(result.stats.applied).toBe(result.stats.statements - 3);
    });

    it('finds the catalog and sql-lint\'s model in agreement', () => {
      expect(result.findings.filter((f) => f.ruleId === '@supagate/model-mismatch')).toEqual([]);
    });
  });
});
