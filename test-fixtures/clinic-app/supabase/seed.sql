-- Dados locais para `supabase db reset`: duas clínicas para testar o isolamento entre tenants.
insert into public.clinics (id, name, cnpj, whatsapp_instance) values
  ('11111111-1111-4111-8111-111111111111', 'Clínica Sorriso Paulista', '12.345.678/0001-90', 'clinica-sorriso'),
  ('22222222-2222-4222-8222-222222222222', 'Centro Médico Boa Vista', '98.765.432/0001-10', 'boa-vista');

insert into public.procedure_catalog (codigo_tuss, descricao, grupo) values
  ('10101012', 'Consulta em consultório (no horário normal ou preestabelecido)', 'Consultas'),
  ('81000421', 'Limpeza (profilaxia) e polimento dentário', 'Odontologia');
