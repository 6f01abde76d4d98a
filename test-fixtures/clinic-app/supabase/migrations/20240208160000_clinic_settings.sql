-- Configurações da clínica (horário de funcionamento, textos das mensagens automáticas).

create table public.clinic_settings (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null unique references public.clinics (id) on delete cascade,
  horario_abertura time not null default '08:00',
  horario_fechamento time not null default '18:00',
  mensagem_lembrete text,
  antecedencia_lembrete_horas integer not null default 24,
  updated_at timestamptz not null default now()
);

alter table public.clinic_settings enable row level security;

create policy "Membros leem as configurações da clínica"
  on public.clinic_settings
  for select
  to authenticated
  using (public.is_clinic_member(clinic_id));

-- Só o admin da clínica edita. O clinic_id e o papel vão no metadata do usuário no convite.
create policy "Admin da clínica edita as configurações"
  on public.clinic_settings
  for update
  to authenticated
  using (
    clinic_id = ((auth.jwt() -> 'user_metadata' ->> 'clinic_id'))::uuid
    and (auth.jwt() -> 'user_metadata' ->> 'role') = 'admin'
  )
  with check (
    clinic_id = ((auth.jwt() -> 'user_metadata' ->> 'clinic_id'))::uuid
  );
