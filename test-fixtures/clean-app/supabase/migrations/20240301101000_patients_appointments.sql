-- Pacientes e consultas.

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

create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  patient_id uuid not null references public.patients (id) on delete cascade,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'scheduled' check (status in ('scheduled', 'confirmed', 'cancelled', 'completed')),
  confirmed_at timestamptz,
  created_at timestamptz not null default now()
);

create index appointments_clinic_starts_idx on public.appointments (clinic_id, starts_at);

alter table public.patients enable row level security;
alter table public.appointments enable row level security;

create policy "members manage clinic patients" on public.patients
  for all to authenticated
  using (public.is_clinic_member(clinic_id))
  with check (public.is_clinic_member(clinic_id));

create policy "members manage clinic appointments" on public.appointments
  for all to authenticated
  using (public.is_clinic_member(clinic_id))
  with check (public.is_clinic_member(clinic_id));
