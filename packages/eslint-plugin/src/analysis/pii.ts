/**
 * PII vocabulary (DESIGN.md: PII): which identifiers, property names and column names
 * name personal data or credentials, in Portuguese and English, camelCase, snake_case
 * or kebab-case.
 *
 * A name is split into words (`patientFullName` → patient, full, name), phrases are
 * matched first (`id_token`, `phone_number`, `data_nascimento`), then:
 * - a **veto** word anywhere (`id`, `hash`, `masked`, `count`, `has`, `is`, `length`…)
 *   means the name is about the PII, not the PII itself (`patient_id`, `cpf_hash`,
 *   `masked_phone`, `hasEmail`, `phoneCount`);
 * - a **suffix veto** after the last PII word does the same (`emailTemplate`,
 *   `emailError`, `tokenType`, `tokenExpiresAt`) but not before it (`clientEmail`);
 * - **contextual** words only count with context: `name`/`nome` on a person
 *   (`patient_name`, `customer.name`, or next to other PII in the same object),
 *   `whatsapp` alone or as a number, `zip` as `zip_code`, `health` as `health_data`,
 *   `cid` as `cid10`/`codigo_cid`. So `file.name`, `table_name`, `functionName`,
 *   `bucket.name`, `healthCheck` and `rg` inside `orgId` are not PII.
 */

export type PiiCategory =
  | 'cpf'
  | 'cnpj'
  | 'rg'
  | 'name'
  | 'email'
  | 'phone'
  | 'address'
  | 'postal-code'
  | 'birth-date'
  | 'health'
  | 'password'
  | 'token'
  | 'api-key'
  | 'secret'
  | 'authorization'
  | 'card'
  | 'document'
  | 'custom';

const LABELS: Record<PiiCategory, string> = {
  cpf: 'CPF',
  cnpj: 'CNPJ',
  rg: 'RG',
  name: 'name',
  email: 'e-mail',
  phone: 'phone number',
  address: 'address',
  'postal-code': 'postal code',
  'birth-date': 'birth date',
  health: 'health data',
  password: 'password',
  token: 'token',
  'api-key': 'API key',
  secret: 'secret',
  authorization: 'authorization header',
  card: 'card number',
  document: 'identity document',
  custom: 'PII',
};

export interface PiiMatch {
  category: PiiCategory;
  /** Human label for messages: "e-mail", "CPF", "birth date". */
  label: string;
  /** The word or phrase that matched, e.g. `email`, `data_nascimento`. */
  term: string;
}

export interface MatchContext {
  /** The name sits on a person (a `patient`, `customer.name`, a people table, next to other PII). */
  person?: boolean;
}

/** Splits an identifier or key into lower-case words, accents removed: `nomeCompleto_PACIENTE` → nome, completo, paciente. */
export function splitWords(name: string): string[] {
  // Pure and called for the same few thousand names in every file: cached (callers only read the array).
  let words = splitCache.get(name);
  if (!words) {
    if (splitCache.size >= SPLIT_CACHE_MAX) splitCache.clear();
    words = splitUncached(name);
    splitCache.set(name, words);
  }
  return words;
}

const SPLIT_CACHE_MAX = 50_000;
const splitCache = new Map<string, string[]>();

function splitUncached(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

// ---------------------------------------------------------------------------------------
// Vocabulary

const WORDS: Record<string, PiiCategory> = {
  cpf: 'cpf',
  cnpj: 'cnpj',
  rg: 'rg',
  fullname: 'name',
  firstname: 'name',
  lastname: 'name',
  surname: 'name',
  sobrenome: 'name',
  nomecompleto: 'name',
  username: 'name',
  email: 'email',
  emailaddress: 'email',
  telefone: 'phone',
  phone: 'phone',
  phonenumber: 'phone',
  celular: 'phone',
  fone: 'phone',
  mobile: 'phone',
  endereco: 'address',
  address: 'address',
  logradouro: 'address',
  street: 'address',
  bairro: 'address',
  cep: 'postal-code',
  zipcode: 'postal-code',
  postalcode: 'postal-code',
  nascimento: 'birth-date',
  birthdate: 'birth-date',
  birthday: 'birth-date',
  dob: 'birth-date',
  datanascimento: 'birth-date',
  cns: 'health',
  prontuario: 'health',
  diagnostico: 'health',
  diagnosis: 'health',
  diagnoses: 'health',
  anamnese: 'health',
  anamnesis: 'health',
  senha: 'password',
  password: 'password',
  passwd: 'password',
  passphrase: 'password',
  token: 'token',
  jwt: 'token',
  accesstoken: 'token',
  apikey: 'api-key',
  secret: 'secret',
  credential: 'secret',
  credentials: 'secret',
  authorization: 'authorization',
  bearer: 'authorization',
  cardnumber: 'card',
  cvv: 'card',
  cvc: 'card',
  ssn: 'document',
  passport: 'document',
  passaporte: 'document',
};

/** Multi-word terms, matched before single words; they consume their words (`id` in `id_token` is no veto). */
const PHRASES: Array<[string, PiiCategory]> = [
  ['e mail', 'email'],
  ['email address', 'email'],
  ['e mail address', 'email'],
  ['full name', 'name'],
  ['first name', 'name'],
  ['last name', 'name'],
  ['given name', 'name'],
  ['family name', 'name'],
  ['middle name', 'name'],
  ['display name', 'name'],
  ['nome completo', 'name'],
  ['nome social', 'name'],
  ['primeiro nome', 'name'],
  ['phone number', 'phone'],
  ['mobile number', 'phone'],
  ['whatsapp number', 'phone'],
  ['whatsapp phone', 'phone'],
  ['numero whatsapp', 'phone'],
  ['numero telefone', 'phone'],
  ['numero celular', 'phone'],
  ['street address', 'address'],
  ['postal code', 'postal-code'],
  ['zip code', 'postal-code'],
  ['data nascimento', 'birth-date'],
  ['data de nascimento', 'birth-date'],
  ['data nasc', 'birth-date'],
  ['dt nascimento', 'birth-date'],
  ['dt nasc', 'birth-date'],
  ['birth date', 'birth-date'],
  ['date of birth', 'birth-date'],
  ['cartao sus', 'health'],
  ['medical record', 'health'],
  ['medical records', 'health'],
  ['health data', 'health'],
  ['health record', 'health'],
  ['health records', 'health'],
  ['health info', 'health'],
  ['health condition', 'health'],
  ['health conditions', 'health'],
  ['cid 10', 'health'],
  ['codigo cid', 'health'],
  ['cid code', 'health'],
  ['access token', 'token'],
  ['refresh token', 'token'],
  ['id token', 'token'],
  ['api key', 'api-key'],
  ['secret key', 'secret'],
  ['private key', 'secret'],
  ['service role key', 'secret'],
  ['service role', 'secret'],
  ['client secret', 'secret'],
  ['card number', 'card'],
  ['numero cartao', 'card'],
  ['credit card', 'card'],
  ['auth header', 'authorization'],
];

/** Phrases that look like PII and are not: LLM token counts, pagination tokens. They consume their words. */
const NEUTRAL_PHRASES = [
  'input tokens',
  'output tokens',
  'prompt tokens',
  'completion tokens',
  'cached tokens',
  'reasoning tokens',
  'input token',
  'output token',
  'page token',
  'next page token',
  'continuation token',
  'token usage',
  'tokens used',
];

/** Words that only count with context (see the module comment). Handled in `match`. */
const CONTEXTUAL = new Set(['name', 'nome', 'names', 'nomes', 'whatsapp', 'cartao']);
const CARD_CONTEXT = new Set(['credito', 'debito', 'numero', 'number', 'cvv', 'validade']);

/** A veto anywhere in the name: it is about the PII (an id, a hash, a count, a flag), not the PII. */
const VETO = new Set([
  'id', 'ids', 'uuid', 'guid', 'hash', 'hashed', 'hmac', 'digest', 'sha', 'sha256', 'masked', 'mask', 'mascarado', 'mascarada',
  'redacted', 'sanitized', 'encrypted', 'criptografado', 'anonymized', 'anonimizado', 'verified', 'verificado', 'verificada',
  'confirmed', 'confirmado', 'confirmada', 'count', 'counts', 'length', 'len', 'size', 'total', 'num', 'qtd', 'quantidade',
  'has', 'is', 'tem', 'possui', 'should', 'can', 'did', 'was', 'will', 'exists', 'existe', 'valid', 'invalid', 'enabled',
  'disabled', 'required', 'optional', 'allowed', 'max', 'min', 'limit', 'usage', 'used', 'remaining', 'four', 'last', 'ultimos', 'ultimo', 'valido',
  'valida', 'invalido', 'invalida',
]);

/** A veto only after the last PII word: `emailTemplate` is not an e-mail, `clientEmail` is. */
const SUFFIX_VETO = new Set([
  'type', 'tipo', 'kind', 'status', 'state', 'format', 'formato', 'field', 'fields', 'campo', 'campos', 'column', 'coluna',
  'label', 'placeholder', 'regex', 're', 'pattern', 'policy', 'rule', 'rules', 'schema', 'validator', 'validation', 'template',
  'subject', 'assunto', 'service', 'provider', 'client', 'url', 'uri', 'link', 'endpoint', 'error', 'errors', 'err', 'erro',
  'result', 'results', 'response', 'res', 'resp', 'sent', 'send', 'enviado', 'enviada', 'delivered', 'notification',
  'message', 'messages', 'mensagem', 'config', 'settings', 'options', 'opts', 'changed', 'updated', 'created', 'deleted',
  'at', 'em', 'expires', 'expiry', 'expiration', 'exp', 'ttl', 'lifetime', 'age', 'prefix', 'suffix', 'hint', 'strength',
  'version', 'domain', 'table', 'tabela', 'bucket', 'file', 'path', 'dir', 'name', 'nome', 'key', 'env', 'app',
  'var', 'job', 'queue', 'task', 'event', 'log', 'logs', 'api', 'sender', 'sid', 'flag', 'mode', 'source', 'origin',
  'index', 'idx', 'ok', 'data', 'check', 'checked', 'match', 'matches', 'changes', 'sync', 'input', 'button', 'modal', 'form',
]);

/** Words naming a person: `name` next to them is a person's name. */
const PERSON_WORDS = new Set([
  'patient', 'patients', 'paciente', 'pacientes', 'customer', 'customers', 'cliente', 'clientes', 'user', 'users', 'usuario',
  'usuarios', 'contact', 'contacts', 'contato', 'contatos', 'person', 'people', 'pessoa', 'pessoas', 'profile', 'profiles',
  'perfil', 'perfis', 'member', 'members', 'membro', 'membros', 'lead', 'leads', 'doctor', 'doctors', 'medico', 'medicos',
  'medica', 'professional', 'professionals', 'profissional', 'profissionais', 'guardian', 'responsavel', 'responsaveis',
  'titular', 'holder', 'cardholder', 'recipient', 'destinatario', 'remetente', 'owner', 'dono', 'employee', 'employees',
  'funcionario', 'funcionarios', 'student', 'students', 'aluno', 'alunos', 'author', 'buyer', 'comprador', 'payer', 'pagador',
  'billing', 'shipping', 'tutor', 'mae', 'pai', 'mother', 'father', 'sender',
]);

/** Words that make a bare name a whole record of a person (`patient`, `pacientes`, `newCustomer`, `customer_details`). */
const RECORD_WORDS = new Set([
  'patient', 'patients', 'paciente', 'pacientes', 'customer', 'customers', 'cliente', 'clientes', 'contato', 'contatos',
  'person', 'people', 'pessoa', 'pessoas', 'lead', 'leads',
]);

/** Words that may follow a record word and keep it a record: `patientData`, `clienteEncontrado`. */
const RECORD_SUFFIXES = new Set([
  'data', 'dados', 'info', 'infos', 'record', 'records', 'details', 'detalhes', 'obj', 'object', 'payload', 'row', 'rows',
  'list', 'lista', 'array', 'encontrado', 'encontrada', 'atualizado', 'atualizada', 'novo', 'nova', 'existente', 'raw', 'full',
  'completo', 'json', 'body', 'profile', 'perfil',
]);

export interface PiiVocabularyOptions {
  /** Extra words or phrases naming PII (`nome_mae`, `matricula`). */
  extra?: readonly string[];
  /** Extra veto words (`public`, `demo`). */
  veto?: readonly string[];
}

export interface PiiVocabulary {
  /** The PII a name denotes, or null (vetoed, contextual without context, or unrelated). */
  match(name: string, context?: MatchContext): PiiMatch | null;
  /** True when the name mentions a person (`patient`, `customer_details`, `usuario`). */
  isPersonName(name: string): boolean;
  /** True when the name denotes a whole person record (`patient`, `pacientes`, `newCustomer`), not a field or id of one. */
  isRecordName(name: string): boolean;
  /** True when the name denotes PII only with a person context (`name`, `nome`). */
  needsPersonContext(name: string): boolean;
  /** True when some word of the name is a veto (`patient_id`, `cpf_hash`). */
  isVetoed(name: string): boolean;
}

type Token = { kind: 'pii'; category: PiiCategory; term: string } | { kind: 'neutral' } | { kind: 'word'; word: string };

/** Vocabularies by options: a vocabulary holds no state, so every file of a lint run shares one. */
const vocabularies = new Map<string, PiiVocabulary>();

export function createPiiVocabulary(options: PiiVocabularyOptions = {}): PiiVocabulary {
  const key = JSON.stringify([options.extra ?? [], options.veto ?? []]);
  let vocabulary = vocabularies.get(key);
  if (!vocabulary) {
    if (vocabularies.size >= 64) vocabularies.clear();
    vocabulary = buildVocabulary(options);
    vocabularies.set(key, vocabulary);
  }
  return vocabulary;
}

function buildVocabulary(options: PiiVocabularyOptions): PiiVocabulary {
  const words = new Map<string, PiiCategory>(Object.entries(WORDS));
  const phrases: Array<{ words: string[]; category: PiiCategory | null }> = [
    ...PHRASES.map(([p, category]) => ({ words: p.split(' '), category })),
    ...NEUTRAL_PHRASES.map((p) => ({ words: p.split(' '), category: null })),
  ];
  for (const extra of options.extra ?? []) {
    const w = splitWords(extra);
    if (w.length === 1) words.set(w[0], 'custom');
    else if (w.length > 1) phrases.push({ words: w, category: 'custom' });
  }
  phrases.sort((a, b) => b.words.length - a.words.length);
  const veto = new Set([...VETO, ...(options.veto ?? []).flatMap((v) => splitWords(v))]);

  const wordCategory = (w: string): PiiCategory | null => {
    if (words.has(w)) return words.get(w)!;
    // Plurals: emails, phones, tokens, addresses, senhas.
    if (w.length > 3 && w.endsWith('es') && words.has(w.slice(0, -2))) return words.get(w.slice(0, -2))!;
    if (w.length > 3 && w.endsWith('s') && words.has(w.slice(0, -1))) return words.get(w.slice(0, -1))!;
    return null;
  };

  const tokenize = (ws: string[]): Token[] => {
    const out: Token[] = [];
    let i = 0;
    outer: while (i < ws.length) {
      for (const p of phrases) {
        if (p.words.length <= ws.length - i && p.words.every((w, k) => ws[i + k] === w)) {
          out.push(p.category ? { kind: 'pii', category: p.category, term: p.words.join('_') } : { kind: 'neutral' });
          i += p.words.length;
          continue outer;
        }
      }
      const category = wordCategory(ws[i]);
      out.push(category ? { kind: 'pii', category, term: ws[i] } : { kind: 'word', word: ws[i] });
      i++;
    }
    return out;
  };

  const hasPerson = (ws: string[]) => ws.some((w) => PERSON_WORDS.has(w));

  // Results by name, with and without a person context (the only context `match` reads).
  const matches = [new Map<string, PiiMatch | null>(), new Map<string, PiiMatch | null>()];
  const match = (name: string, context: MatchContext = {}): PiiMatch | null => {
    const cache = matches[context.person === true ? 1 : 0];
    let result = cache.get(name);
    if (result === undefined) {
      if (cache.size >= SPLIT_CACHE_MAX) cache.clear();
      result = matchUncached(name, context.person === true);
      cache.set(name, result);
    }
    return result;
  };
  const matchUncached = (name: string, person: boolean): PiiMatch | null => {
    const context: MatchContext = { person };
    const ws = splitWords(name);
    if (ws.length === 0) return null;
    const tokens = tokenize(ws);
    // Resolve contextual words into PII tokens when their context is there.
    const resolved: Token[] = tokens.map((t, index) => {
      if (t.kind !== 'word' || !CONTEXTUAL.has(t.word)) return t;
      if (t.word === 'whatsapp') {
        return tokens.length === 1 ? { kind: 'pii', category: 'phone', term: 'whatsapp' } : t;
      }
      if (t.word === 'cartao') {
        return tokens.length === 1 || ws.some((w) => CARD_CONTEXT.has(w)) ? { kind: 'pii', category: 'card', term: 'cartao' } : t;
      }
      // name / nome: a person's name when the name says so (`patient_name`), or when it is only `name`
      // and sits on a person (`customer.name`). `secretName`, `file_name`, `instanceName` stay names of things.
      const before = tokens.slice(0, index);
      const afterOtherPii = before.some((b) => b.kind === 'pii');
      const onlyName = tokens.every((o) => o.kind === 'word' && CONTEXTUAL.has(o.word));
      const ok = hasPerson(ws) || (context.person === true && onlyName);
      return ok && !afterOtherPii ? { kind: 'pii', category: 'name', term: t.word } : t;
    });
    let lastPii = -1;
    resolved.forEach((t, i) => {
      if (t.kind === 'pii') lastPii = i;
    });
    if (lastPii < 0) return null;
    for (let i = 0; i < resolved.length; i++) {
      const t = resolved[i];
      if (t.kind !== 'word') continue;
      if (veto.has(t.word)) return null;
      if (i > lastPii && SUFFIX_VETO.has(t.word)) return null;
    }
    const hit = resolved[lastPii] as Extract<Token, { kind: 'pii' }>;
    return { category: hit.category, label: hit.category === 'custom' ? hit.term.replace(/_/g, ' ') : LABELS[hit.category], term: hit.term };
  };

  const isVetoed = (name: string) => splitWords(name).some((w) => veto.has(w));

  return {
    match,
    isVetoed,
    isPersonName: (name) => hasPerson(splitWords(name)),
    needsPersonContext: (name) => {
      const ws = splitWords(name);
      return ws.length > 0 && ws.every((w) => w === 'name' || w === 'nome' || w === 'names' || w === 'nomes');
    },
    isRecordName: (name) => {
      const ws = splitWords(name);
      if (!ws.some((w) => RECORD_WORDS.has(w) || w === 'details')) return false;
      if (ws.includes('details') && !hasPerson(ws)) return false;
      if (match(name)) return false;
      // The record word heads the name: `newPatient`, `patientData`, `pacienteAtualizado`; not `patientAppointments`, `leads_skipped`.
      let lastRecord = -1;
      ws.forEach((w, i) => {
        if (RECORD_WORDS.has(w) || w === 'details') lastRecord = i;
      });
      if (ws.slice(lastRecord + 1).some((w) => !RECORD_SUFFIXES.has(w))) return false;
      return !ws.some((w) => veto.has(w));
    },
  };
}

// ---------------------------------------------------------------------------------------
// Sanitizers

/** True when a call name matches a sanitizer pattern: `mask*` matches `maskCpf`, `mask_email`; `sha256` only itself. Case-insensitive. */
export function isSanitizerName(name: string, patterns: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.endsWith('*') ? lower.startsWith(p.slice(0, -1)) : lower === p;
  });
}

// ---------------------------------------------------------------------------------------
// Supabase select strings

/**
 * Column names of a PostgREST select string: `'id, nome:full_name, contato(email)'` →
 * id, full_name, email; `'*'` → `*`. Aliases count by their column and by their alias.
 */
export function parseSelectColumns(select: string): string[] {
  const out: string[] = [];
  for (const raw of select.split(/[,()]/)) {
    const part = raw.trim().replace(/!inner|!left/g, '');
    if (!part) continue;
    // `alias:column::cast` or `relation!fk`
    const [first, ...rest] = part.split(':').filter((s) => s !== '');
    const names = [first, ...rest].map((s) => s.trim().replace(/->>?.*$/, '').replace(/!.*$/, '')).filter(Boolean);
    for (const n of names) if (!/^(text|int|integer|json|jsonb|uuid|date)$/i.test(n)) out.push(n);
  }
  return out;
}

/** True when a table name names people (`pacientes`, `public.customers`, `clinic_patients`, `profiles`). */
export function isPeopleTable(table: string): boolean {
  const name = table.includes('.') ? table.slice(table.lastIndexOf('.') + 1) : table;
  const ws = splitWords(name).filter((w) => w !== 'billing' && w !== 'shipping');
  if (ws.length === 0) return false;
  // English heads come last (`clinic_patients`, not `lead_products`); Portuguese heads come first (`pacientes_clinica`).
  return PERSON_WORDS.has(ws[ws.length - 1]) || /^(paciente|cliente|usuario|contato|pessoa|membro|funcionario|profissiona|medico|aluno|responsave)/.test(ws[0]);
}
