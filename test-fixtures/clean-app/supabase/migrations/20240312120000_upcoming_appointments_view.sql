-- Próximas consultas com o nome do paciente. security_invoker: a view respeita o RLS de quem consulta.

create view public.upcoming_appointments
with (security_invoker = true)
as
select
  a.id,
  a.clinic_id,
  a.starts_at,
  a.status,
  p.nome as paciente_nome
from public.appointments a
join public.patients p on p.id = a.patient_id
where a.starts_at >= now();
