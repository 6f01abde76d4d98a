-- Pagamentos: assinatura da clínica (Stripe) e consultas particulares (Asaas: boleto/Pix).
-- Só as edge functions escrevem aqui (service role); a equipe da clínica apenas lê.

create table public.payments (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  appointment_id uuid references public.appointments (id) on delete set null,
  provider text not null check (provider in ('stripe', 'asaas')),
  stripe_event_id text unique,
  stripe_checkout_session_id text,
  asaas_payment_id text unique,
  amount_cents integer not null default 0 check (amount_cents >= 0),
  currency text not null default 'brl',
  status text not null default 'pending' check (status in ('pending', 'paid', 'refunded', 'failed')),
  paid_at timestamptz,
  created_at timestamptz not null default now()
);

create index payments_clinic_id_idx on public.payments (clinic_id, created_at desc);

alter table public.payments enable row level security;

create policy "Membros leem pagamentos da clínica"
  on public.payments
  for select
  to authenticated
  using (public.is_clinic_member(clinic_id));
