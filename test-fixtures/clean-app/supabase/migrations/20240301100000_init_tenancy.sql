-- Tenancy: clínicas e seus membros. Todo dado de negócio carrega clinic_id.

create table public.clinics (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now()
);

create table public.clinic_members (
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'staff' check (role in ('owner', 'dentist', 'staff')),
  primary key (clinic_id, user_id)
);

-- Verifica se o usuário logado é membro da clínica (usada por todas as policies).
create function public.is_clinic_member(p_clinic_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.clinic_members
    where clinic_id = p_clinic_id and user_id = (select auth.uid())
  );
$$;

alter table public.clinics enable row level security;
alter table public.clinic_members enable row level security;

create policy "members read their clinic" on public.clinics
  for select to authenticated
  using (public.is_clinic_member(id));

create policy "members read their team" on public.clinic_members
  for select to authenticated
  using (public.is_clinic_member(clinic_id));
