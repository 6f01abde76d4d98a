-- RLS das salas, em migration separada (revisão pediu policies por comando).

alter table public.rooms enable row level security;

create policy "members read clinic rooms" on public.rooms
  for select to authenticated
  using (public.is_clinic_member(clinic_id));

create policy "members add clinic rooms" on public.rooms
  for insert to authenticated
  with check (public.is_clinic_member(clinic_id));

create policy "members edit clinic rooms" on public.rooms
  for update to authenticated
  using (public.is_clinic_member(clinic_id))
  with check (public.is_clinic_member(clinic_id));

create policy "members remove clinic rooms" on public.rooms
  for delete to authenticated
  using (public.is_clinic_member(clinic_id));
