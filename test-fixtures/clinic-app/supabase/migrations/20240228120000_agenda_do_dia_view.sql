-- Visão da agenda do dia para a tela da recepção (nome e telefone do paciente já juntos).

create view public.agenda_do_dia as
select
  a.id,
  a.clinic_id,
  a.starts_at,
  a.ends_at,
  a.status,
  p.nome as paciente_nome,
  p.telefone as paciente_telefone,
  pr.nome as profissional_nome
from public.appointments a
join public.patients p on p.id = a.patient_id
left join public.professionals pr on pr.id = a.professional_id
where a.starts_at >= date_trunc('day', now())
  and a.starts_at < date_trunc('day', now()) + interval '1 day';

grant select on public.agenda_do_dia to authenticated;
