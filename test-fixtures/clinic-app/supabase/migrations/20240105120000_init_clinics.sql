-- Modelo de tenancy: cada clínica é um tenant; todo dado de negócio carrega clinic_id.
-- Usuários (auth.users) entram nas clínicas pela tabela clinic_members.

create table public.clinics (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  cnpj text unique,
  timezone text not null default 'America/Sao_Paulo',
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

-- Função usada pelas policies. security definer para não cair em recursão no RLS de
-- clinic_members; search_path vazio para que ninguém "sequestre" os nomes usados aqui dentro.
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
