/** Postgres identifier helpers. The parser already folds unquoted names to lower case. */

const BARE = /^[a-z_][a-z0-9_$]*$/;
const RESERVED = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast', 'check',
  'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role', 'current_time',
  'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except',
  'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in', 'initially', 'intersect', 'into',
  'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not', 'null', 'offset', 'on', 'only', 'or',
  'order', 'placing', 'primary', 'references', 'returning', 'select', 'session_user', 'some', 'symmetric',
  'system_user', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user', 'using', 'variadic', 'when',
  'where', 'window', 'with',
]);

/** Quotes an identifier when Postgres would need it (`Payments` → `"Payments"`). */
export function quoteIdent(name: string): string {
  return BARE.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Schema-qualified display name, also the model's map key: `public.payments`, `public."Foo"`. */
export function qualifiedName(schema: string, name: string): string {
  // The replay asks for the same few thousand names over and over (every lookup, policy and
  // foreign key): remember them, up to a bound so a long-lived process does not grow.
  let byName = qualifiedNames.get(schema);
  if (!byName) {
    if (qualifiedNames.size >= MAX_SCHEMAS) qualifiedNames.clear();
    byName = new Map();
    qualifiedNames.set(schema, byName);
  }
  let key = byName.get(name);
  if (key === undefined) {
    key = `${quoteIdent(schema)}.${quoteIdent(name)}`;
    if (byName.size >= MAX_NAMES) byName.clear();
    byName.set(name, key);
  }
  return key;
}

const MAX_SCHEMAS = 1_000;
const MAX_NAMES = 50_000;
const qualifiedNames = new Map<string, Map<string, string>>();

/**
 * Splits a user-written name (`public.clinics`, `"Billing"."Accounts"`, `clinics`) into
 * normalised parts the way Postgres reads identifiers: unquoted parts lower-cased.
 */
export function parseQualifiedName(text: string, defaultSchema = 'public'): { schema: string; name: string } {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    if (s[i] === '"') {
      let j = i + 1;
      let out = '';
      while (j < s.length) {
        if (s[j] === '"') {
          if (s[j + 1] === '"') {
            out += '"';
            j += 2;
            continue;
          }
          break;
        }
        out += s[j++];
      }
      parts.push(out);
      i = j + 1;
    } else {
      let j = i;
      while (j < s.length && s[j] !== '.') j++;
      parts.push(s.slice(i, j).trim().toLowerCase());
      i = j;
    }
    if (s[i] === '.') i++;
  }
  if (parts.length >= 2) return { schema: parts[parts.length - 2], name: parts[parts.length - 1] };
  return { schema: defaultSchema, name: parts[0] ?? '' };
}

/** Normalises a single identifier as written in config (`clinic_id`, `"ClinicId"`). */
export function normaliseIdent(text: string): string {
  const t = text.trim();
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) return t.slice(1, -1).replace(/""/g, '"');
  return t.toLowerCase();
}

/** Parses a search_path value string (`'"$user", public, extensions'`). */
export function parseSearchPath(value: string): string[] {
  return value
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== "''")
    .map((p) => normaliseIdent(p));
}
