-- Pacientes, profissionais e consultas (agenda).

create table public.patients (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  nome text not null,
  cpf text not null,
  telefone text not null,
  email text,
  data_nascimento date,
  observacoes text,
  created_at timestamptz not null default now(),
  unique (clinic_id, cpf)
);

create index patients_clinic_id_idx on public.patients (clinic_id);

alter table public.patients enable row level security;

create policy "Membros leem pacientes da clínica"
  on public.patients for select
  to authenticated
  using (public.is_clinic_member(clinic_id));

create policy "Membros cadastram pacientes na clínica"
  on public.patients for insert
  to authenticated
  with check (public.is_clinic_member(clinic_id));

create policy "Membros atualizam pacientes da clínica"
  on public.patients for update
  to authenticated
  using (public.is_clinic_member(clinic_id))
  with check (public.is_clinic_member(clinic_id));

create policy "Membros removem pacientes da clínica"
  on public.patients for delete
  to authenticated
  using (public.is_clinic_member(clinic_id));

create table public.professionals (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  user_id uuid references auth.users (id) on delete set null,
  nome text not null,
  especialidade text,
  conselho_registro text, -- CRM/CRO do profissional
  ativo boolean not null default true
);

create index professionals_clinic_id_idx on public.professionals (clinic_id);

alter table public.professionals enable row level security;

create policy "Membros gerenciam profissionais da clínica"
  on public.professionals for all
  to authenticated
  using (public.is_clinic_member(clinic_id))
  with check (public.is_clinic_member(clinic_id));

create table public.appointments (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  patient_id uuid not null references public.patients (id) on delete cascade,
  professional_id uuid references public.professionals (id) on delete set null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'scheduled'
    check (status in ('scheduled', 'confirmed', 'rescheduled', 'cancelled', 'completed', 'no_show')),
  reschedule_reason text,
  reminder_sent_at timestamptz,
  updated_by uuid references auth.users (id),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at)
);

create index appointments_clinic_starts_idx on public.appointments (clinic_id, starts_at);

alter table public.appointments enable row level security;

create policy "Membros gerenciam consultas da clínica"
  on public.appointments for all
  to authenticated
  using (public.is_clinic_member(clinic_id))
  with check (public.is_clinic_member(clinic_id));
