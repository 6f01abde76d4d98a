-- Catálogo de procedimentos (tabela TUSS da ANS). É o mesmo para todas as clínicas,
-- por isso não tem clinic_id: cada clínica só define o preço em clinic_procedures.

-- supagate-ignore require-tenant-column -- global lookup table: tabela TUSS da ANS, igual para todas as clínicas
create table public.procedure_catalog (
  codigo_tuss text primary key,
  descricao text not null,
  grupo text,
  vigente_desde date not null default current_date
);

alter table public.procedure_catalog enable row level security;

create policy "Catálogo TUSS é público para usuários autenticados"
  on public.procedure_catalog
  for select
  to authenticated
  using (true);

create table public.clinic_procedures (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  codigo_tuss text not null references public.procedure_catalog (codigo_tuss),
  preco_cents integer not null check (preco_cents >= 0),
  unique (clinic_id, codigo_tuss)
);

alter table public.clinic_procedures enable row level security;

create policy "Membros gerenciam a tabela de preços da clínica"
  on public.clinic_procedures
  for all
  to authenticated
  using (public.is_clinic_member(clinic_id))
  with check (public.is_clinic_member(clinic_id));
