import { describe, expect, it } from 'vitest';
import { createPiiVocabulary, isPeopleTable, isSanitizerName, parseSelectColumns, splitWords } from '../../src/analysis/pii.js';

const vocab = createPiiVocabulary();
const label = (name: string, person = false) => vocab.match(name, { person })?.label ?? null;

describe('splitWords', () => {
  it('splits camelCase, PascalCase acronyms, snake_case, kebab-case and digits', () => {
    expect(splitWords('patientFullName')).toEqual(['patient', 'full', 'name']);
    expect(splitWords('SUPABASE_SERVICE_ROLE_KEY')).toEqual(['supabase', 'service', 'role', 'key']);
    expect(splitWords('userCPF')).toEqual(['user', 'cpf']);
    expect(splitWords('APIKey')).toEqual(['api', 'key']);
    expect(splitWords('x-api-key')).toEqual(['x', 'api', 'key']);
    expect(splitWords('cid10')).toEqual(['cid', '10']);
    expect(splitWords('endereço_paciente')).toEqual(['endereco', 'paciente']);
  });
});

describe('PII vocabulary', () => {
  it('names PII in Portuguese and English', () => {
    expect(label('cpf')).toBe('CPF');
    expect(label('cnpjEmpresa')).toBe('CNPJ');
    expect(label('rg')).toBe('RG');
    expect(label('customerEmail')).toBe('e-mail');
    expect(label('e_mail')).toBe('e-mail');
    expect(label('emailAddress')).toBe('e-mail');
    expect(label('telefone')).toBe('phone number');
    expect(label('phone_number')).toBe('phone number');
    expect(label('numeroWhatsapp')).toBe('phone number');
    expect(label('celularPaciente')).toBe('phone number');
    expect(label('endereco')).toBe('address');
    expect(label('logradouro')).toBe('address');
    expect(label('cep')).toBe('postal code');
    expect(label('zip_code')).toBe('postal code');
    expect(label('data_nascimento')).toBe('birth date');
    expect(label('birthDate')).toBe('birth date');
    expect(label('dob')).toBe('birth date');
    expect(label('cartao_sus')).toBe('health data');
    expect(label('prontuario')).toBe('health data');
    expect(label('diagnostico')).toBe('health data');
    expect(label('medical_record')).toBe('health data');
    expect(label('codigo_cid')).toBe('health data');
    expect(label('senha')).toBe('password');
    expect(label('access_token')).toBe('token');
    expect(label('refreshToken')).toBe('token');
    expect(label('id_token')).toBe('token');
    expect(label('jwt')).toBe('token');
    expect(label('apiKey')).toBe('API key');
    expect(label('STRIPE_WEBHOOK_SECRET')).toBe('secret');
    expect(label('SUPABASE_SERVICE_ROLE_KEY')).toBe('secret');
    expect(label('authorization')).toBe('authorization header');
    expect(label('authorizationHeader')).toBe('authorization header');
    expect(label('cardNumber')).toBe('card number');
    expect(label('full_name')).toBe('name');
    expect(label('nome_completo')).toBe('name');
    expect(label('emails')).toBe('e-mail');
  });

  it('vetoes ids, hashes, masks, flags and counts', () => {
    for (const name of [
      'patient_id', 'email_verified', 'cpf_hash', 'masked_phone', 'phoneCount', 'hasEmail', 'isPhoneValid', 'emailIds',
      'phone_number_id', 'passwordHash', 'tokenCount', 'max_tokens', 'total_tokens', 'prompt_tokens', 'cpfMascarado',
      'temTelefone', 'senhaHash', 'cpf_last4',
    ]) {
      expect([name, label(name)]).toEqual([name, null]);
    }
  });

  it('vetoes words after the PII word only when they come after it', () => {
    expect(label('emailTemplate')).toBeNull();
    expect(label('emailError')).toBeNull();
    expect(label('token_type')).toBeNull();
    expect(label('tokenExpiresAt')).toBeNull();
    expect(label('passwordResetUrl')).toBeNull();
    expect(label('clientEmail')).toBe('e-mail');
    expect(label('updatedPhone')).toBe('phone number');
  });

  it('counts name only on a person, and never rg inside a word', () => {
    for (const name of ['name', 'nome', 'file_name', 'table_name', 'functionName', 'bucketName', 'nomeArquivo', 'eventName', 'secretName']) {
      expect([name, label(name)]).toEqual([name, null]);
    }
    expect(label('patient_name')).toBe('name');
    expect(label('nome_paciente')).toBe('name');
    expect(label('customerName')).toBe('name');
    expect(label('name', true)).toBe('name');
    expect(label('orgId')).toBeNull();
    expect(label('storage')).toBeNull();
    expect(label('healthCheck')).toBeNull();
    expect(label('whatsapp')).toBe('phone number');
    expect(label('whatsappClient')).toBeNull();
    expect(label('cartao')).toBe('card number');
    expect(label('numero_cartao')).toBe('card number');
    expect(label('cartaoCredito')).toBe('card number');
    expect(label('cartao_postagem')).toBeNull();
    expect(label('instance_name', true)).toBeNull();
  });

  it('tells whole person records from their fields', () => {
    expect(vocab.isRecordName('patient')).toBe(true);
    expect(vocab.isRecordName('pacientes')).toBe(true);
    expect(vocab.isRecordName('newCustomer')).toBe(true);
    expect(vocab.isRecordName('customer_details')).toBe(true);
    expect(vocab.isRecordName('patientId')).toBe(false);
    expect(vocab.isRecordName('patientsError')).toBe(false);
    expect(vocab.isRecordName('patientEmail')).toBe(false);
    expect(vocab.isRecordName('clinic')).toBe(false);
    expect(vocab.isRecordName('patientData')).toBe(true);
    expect(vocab.isRecordName('patientAppointments')).toBe(false);
    expect(vocab.isRecordName('leads_skipped')).toBe(false);
  });

  it('takes extra words and vetoes from settings', () => {
    const custom = createPiiVocabulary({ extra: ['matricula', 'nome_mae'], veto: ['demo'] });
    expect(custom.match('matriculaAluno')?.label).toBe('matricula');
    expect(custom.match('nomeMae')?.label).toBe('nome mae');
    expect(custom.match('demoEmail')).toBeNull();
  });
});

describe('sanitizers, select strings and people tables', () => {
  it('matches sanitizer names by prefix pattern, case-insensitively', () => {
    const patterns = ['mask*', 'redact*', 'sha256'];
    expect(isSanitizerName('maskCpf', patterns)).toBe(true);
    expect(isSanitizerName('MaskEmail', patterns)).toBe(true);
    expect(isSanitizerName('redact', patterns)).toBe(true);
    expect(isSanitizerName('sha256', patterns)).toBe(true);
    expect(isSanitizerName('sha256Hex', patterns)).toBe(false);
    expect(isSanitizerName('formatCpf', patterns)).toBe(false);
  });

  it('reads PostgREST select strings with aliases and embedded relations', () => {
    expect(parseSelectColumns('id, nome:full_name, contato(email, telefone), clinic_id')).toEqual([
      'id', 'nome', 'full_name', 'contato', 'email', 'telefone', 'clinic_id',
    ]);
    expect(parseSelectColumns('*')).toEqual(['*']);
    expect(parseSelectColumns('metadata->>cpf')).toEqual(['metadata']);
  });

  it('knows people tables', () => {
    expect(isPeopleTable('pacientes')).toBe(true);
    expect(isPeopleTable('public.customers')).toBe(true);
    expect(isPeopleTable('profiles')).toBe(true);
    expect(isPeopleTable('appointments')).toBe(false);
    expect(isPeopleTable('clinics')).toBe(false);
    expect(isPeopleTable('pacientes_clinica')).toBe(true);
    expect(isPeopleTable('lead_products')).toBe(false);
  });
});
