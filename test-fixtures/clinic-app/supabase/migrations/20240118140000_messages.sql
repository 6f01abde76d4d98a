-- Mensagens trocadas com pacientes (WhatsApp via Evolution API e e-mail via Resend).

alter table public.clinics add column whatsapp_instance text unique;

comment on column public.clinics.whatsapp_instance is 'Nome da instância na Evolution API; identifica a clínica nos webhooks.';

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  patient_id uuid references public.patients (id) on delete set null,
  channel text not null check (channel in ('whatsapp', 'email')),
  direction text not null check (direction in ('inbound', 'outbound')),
  from_phone text,
  body text,
  external_id text,
  sent_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);

create index messages_clinic_sent_idx on public.messages (clinic_id, sent_at desc);

alter table public.messages enable row level security;

create policy "Membros acessam mensagens da clínica"
  on public.messages
  for all
  to authenticated
  using (public.is_clinic_member(clinic_id))
  with check (public.is_clinic_member(clinic_id));
