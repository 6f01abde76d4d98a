-- Pagamentos recebidos pela Stripe. Escritos só pelo webhook (service role); membros leem.

create table public.payments (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  stripe_event_id text not null unique,
  stripe_payment_intent_id text not null,
  amount_cents bigint not null check (amount_cents >= 0),
  currency text not null default 'brl',
  status text not null check (status in ('paid', 'refunded')),
  paid_at timestamptz not null,
  created_at timestamptz not null default now()
);

alter table public.payments enable row level security;

create policy "members read clinic payments" on public.payments
  for select to authenticated
  using (public.is_clinic_member(clinic_id));
