-- Tokens das integrações por clínica (instância Evolution, conta Asaas).
-- Só as edge functions leem, com a service role. Nenhuma policy de propósito:
-- usuários da API (anon/authenticated) não devem enxergar estes dados.

create table public.integration_credentials (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  provider text not null check (provider in ('evolution', 'asaas')),
  instance_name text,
  api_token text not null,
  created_at timestamptz not null default now(),
  unique (clinic_id, provider)
);

alter table public.integration_credentials enable row level security;
