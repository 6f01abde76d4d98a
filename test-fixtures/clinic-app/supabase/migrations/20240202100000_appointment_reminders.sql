-- Fila de lembretes de consulta (WhatsApp), processada a cada 5 minutos pelo pg_cron.

create table public.appointment_reminders (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  appointment_id uuid not null references public.appointments (id) on delete cascade,
  send_at timestamptz not null,
  sent_at timestamptz,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'cancelled')),
  tentativas smallint not null default 0,
  created_at timestamptz not null default now()
);

create index appointment_reminders_pending_idx
  on public.appointment_reminders (send_at)
  where status = 'pending';
