-- Números do painel inicial. security definer para somar pagamentos sem depender
-- das policies de cada tabela (a checagem de membro é feita aqui dentro).

create or replace function public.dashboard_metrics(p_clinic_id uuid)
returns table (consultas_hoje bigint, faltas_no_mes bigint, receita_no_mes_cents bigint)
language plpgsql
stable
security definer
as $$
begin
  if not public.is_clinic_member(p_clinic_id) then
    raise exception 'acesso negado à clínica %', p_clinic_id using errcode = '42501';
  end if;

  return query
  select
    (select count(*)
       from public.appointments a
      where a.clinic_id = p_clinic_id
        and a.starts_at >= date_trunc('day', now())
        and a.starts_at < date_trunc('day', now()) + interval '1 day'),
    (select count(*)
       from public.appointments a
      where a.clinic_id = p_clinic_id
        and a.status = 'no_show'
        and a.starts_at >= date_trunc('month', now())),
    (select coalesce(sum(p.amount_cents), 0)::bigint
       from public.payments p
      where p.clinic_id = p_clinic_id
        and p.status = 'paid'
        and p.paid_at >= date_trunc('month', now()));
end;
$$;

grant execute on function public.dashboard_metrics(uuid) to authenticated;
