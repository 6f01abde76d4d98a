-- RLS do receituário (ficou de fora da migration anterior; nenhuma versão foi para produção sem ele).

alter table public.prescriptions enable row level security;

create policy "Membros leem prescrições da clínica"
  on public.prescriptions
  for select
  to authenticated
  using (public.is_clinic_member(clinic_id));

create policy "Membros emitem prescrições na clínica"
  on public.prescriptions
  for insert
  to authenticated
  with check (public.is_clinic_member(clinic_id));
