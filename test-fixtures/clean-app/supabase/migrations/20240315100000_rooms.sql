-- Consultórios (salas) de cada clínica.

create table public.rooms (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references public.clinics (id) on delete cascade,
  nome text not null,
  unique (clinic_id, nome)
);

alter table public.appointments add column room_id uuid references public.rooms (id) on delete set null;
