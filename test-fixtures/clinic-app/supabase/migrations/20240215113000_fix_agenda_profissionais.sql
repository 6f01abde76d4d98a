-- Correção: a recepção via a agenda em branco porque não conseguia ler os profissionais
-- (o join appointments -> professionals voltava vazio). Liberando a leitura.

create policy "Usuários autenticados veem os profissionais"
  on public.professionals
  for select
  to authenticated
  using (true);
