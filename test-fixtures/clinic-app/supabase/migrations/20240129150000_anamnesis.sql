-- Respostas do questionário de anamnese preenchido antes da consulta.
-- A clínica é a da consulta, então a policy olha appointments.

create table public.anamnesis_answers (
  id uuid primary key default gen_random_uuid(),
  appointment_id uuid not null references public.appointments (id) on delete cascade,
  pergunta text not null,
  resposta text,
  created_at timestamptz not null default now()
);

create index anamnesis_answers_appointment_idx on public.anamnesis_answers (appointment_id);

alter table public.anamnesis_answers enable row level security;

create policy "Membros acessam anamneses das consultas da clínica"
  on public.anamnesis_answers
  for all
  to authenticated
  using (
    exists (
      select 1
      from public.appointments a
      where a.id = anamnesis_answers.appointment_id
        and public.is_clinic_member(a.clinic_id)
    )
  )
  with check (
    exists (
      select 1
      from public.appointments a
      where a.id = anamnesis_answers.appointment_id
        and public.is_clinic_member(a.clinic_id)
    )
  );
