-- Receituário: prescrições emitidas na consulta.

create table public.prescriptions (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  appointment_id uuid not null references public.appointments (id) on delete cascade,
  patient_id uuid not null references public.patients (id) on delete cascade,
  professional_id uuid references public.professionals (id) on delete set null,
  medicamentos jsonb not null default '[]'::jsonb,
  orientacoes text,
  emitida_em timestamptz not null default now()
);

create index prescriptions_clinic_patient_idx on public.prescriptions (clinic_id, patient_id);
