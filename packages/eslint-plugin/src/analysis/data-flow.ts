import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { calleePath, isFunction, memberPath, propertyName, stringValue, unwrap, walk, walkTypes } from './ast.js';
import { isPeopleTable, isSanitizerName, parseSelectColumns, splitWords, type PiiCategory, type PiiMatch, type PiiVocabulary } from './pii.js';
import { trackSupabaseClients, type QueryChain } from './supabase-clients.js';

/**
 * Intra-function PII taint (DESIGN.md: PII, Sanitizer). Follows values inside a module,
 * scope by scope and in source order: assignments, destructuring (with renaming and
 * defaults), templates, concatenation, object and array literals, spreads,
 * `JSON.stringify`, string methods, array callbacks and `for…of`. Sources are
 * - names that denote PII (see `pii.ts`): `email`, `body.cpf`, `session.customer_details.email`;
 * - whole records: the request body (`await req.json()`, `c.req.json()`, `formData()`),
 *   webhook payloads (`event.data.object`, Stripe `constructEventAsync`, svix `verify`),
 *   people (`patient`, `pacientes`, `customer_details`, auth users, Stripe customers),
 *   query results selecting PII columns or whole rows of a people table, all request headers;
 * - lookups by a PII key: `req.headers.get('authorization')`, `formData.get('cpf')`,
 *   `Deno.env.get('STRIPE_SECRET_KEY')`.
 * Sanitizer calls, booleans, comparisons, `typeof`, `.length` and partial slices clear it;
 * a caught error (`catch (err)`) is clean.
 */

export interface Taint {
  /** `pii`: one personal value or credential. `record`: a whole object holding some. */
  kind: 'pii' | 'record';
  /** What leaks: "e-mail", "CPF", "the whole request body", "a whole patient record". */
  label: string;
  /** Source text the value came from: `body.email`, `req.json()`, `from('pacientes')`. */
  origin: string;
  /** Fields named `name` of this value are a person's name. */
  person?: boolean;
  /** A password, token, key, secret or authorization header: never logged, not even masked. */
  credential?: boolean;
}

const CREDENTIALS = new Set<PiiCategory>(['password', 'token', 'api-key', 'secret', 'authorization']);

function piiTaint(m: PiiMatch, origin: string): Taint {
  return { kind: 'pii', label: m.label, origin, credential: CREDENTIALS.has(m.category) };
}

/** One piece of a logged argument that carries PII, at the node to report. */
export interface Leak {
  node: TSESTree.Node;
  /** Source text of `node`, shortened for messages. */
  text: string;
  taint: Taint;
}

export interface PiiFlowOptions {
  vocabulary: PiiVocabulary;
  /** Sanitizer call names or prefixes (`mask*`). */
  sanitizers: readonly string[];
  /** Source text of a node (ESLint's `sourceCode.getText`); a prefix of a few hundred characters is enough. */
  getText: (node: TSESTree.Node) => string;
  /** Names of request parameters of handlers, besides `req` / `request` / `c.req`. */
  requestNames?: ReadonlySet<string>;
}

export interface PiiFlow {
  /** The pieces of a logged expression that carry PII, where each is written. */
  leaksIn(node: TSESTree.Node): Leak[];
  /** The taint an expression evaluates to at its place, or null. */
  taintOf(node: TSESTree.Node): Taint | null;
}

/** Abstract value of an expression. */
interface Value {
  taint: Taint | null;
  /** Known safe: a literal, a boolean or number, a sanitizer result, a caught error. */
  clean: boolean;
  /** A person-like object: its `name` is a person's name. */
  person: boolean;
  /** Display text of the expression (for origins of values taken from it). */
  text: string;
}

const UNKNOWN = (text: string, person = false): Value => ({ taint: null, clean: false, person, text });
const CLEAN = (text: string): Value => ({ taint: null, clean: true, person: false, text });

/** Properties of a record that are records themselves (`event.data.object`, `payload.record`, `data.user`). */
const RECORD_PROPS = new Set([
  'data', 'object', 'record', 'old_record', 'new', 'old', 'payload', 'body', 'user', 'users', 'session', 'profile',
  'metadata', 'user_metadata', 'raw_user_meta_data', 'customer_details', 'billing_details', 'shipping', 'shipping_details',
  'contact', 'contacts', 'contato', 'patient', 'patients', 'paciente', 'pacientes', 'cliente', 'clientes', 'rows', 'row',
  'entry', 'changes', 'fields', 'form', 'params', 'identities', 'identity_data', 'owner',
  'sender', 'recipient', 'lead', 'leads',
]);
/** Record properties that are persons: their `name` is a person's name. */
const PERSON_PROPS = new Set(['user', 'users', 'profile', 'customer_details', 'billing_details', 'shipping', 'shipping_details', 'contact', 'contacts', 'contato', 'patient', 'paciente', 'cliente', 'identity_data', 'user_metadata', 'raw_user_meta_data', 'owner', 'sender', 'recipient', 'lead']);

/** Parts of a PII value that are still PII: address lines, name parts, phone formats. */
const PII_COMPONENTS = new Set([
  'line1', 'line2', 'street', 'rua', 'number', 'numero', 'complement', 'complemento', 'neighborhood', 'bairro', 'city',
  'cidade', 'postal_code', 'first', 'last', 'given', 'family', 'value', 'raw', 'digits', 'formatted', 'e164', 'international',
  'national', 'full', 'display',
]);

/** Methods whose result still carries the receiver's data. */
const PRESERVING_METHODS = new Set([
  'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimStart', 'trimEnd', 'replace',
  'replaceAll', 'split', 'join', 'concat', 'padStart', 'padEnd', 'normalize', 'toString', 'toISOString', 'toJSON',
  'toLocaleDateString', 'toLocaleString', 'toDateString', 'toUTCString', 'map', 'filter', 'find', 'findLast', 'flat',
  'flatMap', 'sort', 'toSorted', 'reverse', 'toReversed', 'entries', 'values', 'match', 'matchAll', 'repeat', 'valueOf',
  'clone', 'json', 'text', 'pop', 'shift',
]);
/** Methods that slice: on a value they keep part of it (masking), on a list they keep whole records. */
const SLICING_METHODS = new Set(['slice', 'substring', 'substr', 'charAt', 'at']);
/** Calls that pass their argument's data through. */
const PASS_THROUGH_CALLS = new Set([
  'JSON.stringify', 'JSON.parse', 'String', 'Object.assign', 'Object.values', 'Object.entries', 'Object.fromEntries',
  'structuredClone', 'Array.from', 'Array.of', 'encodeURIComponent', 'encodeURI', 'btoa', 'Deno.inspect', 'util.inspect',
  'inspect',
]);
/** Calls whose result is a boolean, number or type: never PII. */
const CLEAN_CALLS = new Set([
  'Boolean', 'Number', 'parseInt', 'parseFloat', 'isNaN', 'Number.isFinite', 'Number.isInteger', 'Array.isArray',
  'Object.keys', 'Object.getOwnPropertyNames', 'Math.min', 'Math.max', 'Math.round', 'Math.floor', 'Math.ceil', 'Date.now',
]);
const CLEAN_METHODS = new Set([
  'includes', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'test', 'has', 'some', 'every', 'localeCompare',
  'search', 'findIndex', 'charCodeAt', 'codePointAt', 'getTime', 'keys', 'hasOwnProperty', 'isValid',
]);
const ARRAY_CALLBACKS = new Set(['map', 'forEach', 'filter', 'find', 'findLast', 'some', 'every', 'flatMap', 'sort', 'findIndex']);
const BODY_METHODS = new Set(['json', 'formData', 'text', 'parseBody', 'valid', 'blob', 'arrayBuffer']);
/** `x.get('email')`, `c.req.header('authorization')`, `c.req.query('token')`: a lookup by key. */
const KEYED_LOOKUPS = new Set(['get', 'getAll', 'header', 'query', 'param', 'queries']);

const MAX_TEXT = 60;
/** Nodes the declaration pass of `analyzePiiFlow` binds names at. */
const BINDING_TYPES = [
  AST_NODE_TYPES.VariableDeclarator,
  AST_NODE_TYPES.AssignmentExpression,
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.FunctionExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
  AST_NODE_TYPES.CatchClause,
];
const PERSONAL_CATEGORIES = new Set(['email', 'cpf', 'rg', 'birth-date', 'address', 'postal-code', 'document', 'health']);

export function shortText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT - 1)}…` : oneLine;
}

type Binding = Value;
type ScopeNode = TSESTree.Node;

export function analyzePiiFlow(program: TSESTree.Program, options: PiiFlowOptions): PiiFlow {
  const { vocabulary: vocab, sanitizers } = options;
  const text = (node: TSESTree.Node) => shortText(options.getText(node));
  const scopes = new Map<ScopeNode, Map<string, Binding>>();
  const queriesByTop = new Map<TSESTree.Node, QueryChain>();
  for (const q of trackSupabaseClients(program).queries) queriesByTop.set(q.top, q);
  const requestNames = new Set(['req', 'request', ...(options.requestNames ?? [])]);

  /**
   * A key that only a person has (e-mail, CPF, birth date, address): next to it, `name` is a person's name.
   * Phones, tokens and CNPJs also belong to WhatsApp instances, integrations and companies, so they do not count.
   */
  const personalKey = (key: string): boolean => {
    if (vocab.needsPersonContext(key)) return false;
    const m = vocab.match(key);
    return !!m && PERSONAL_CATEGORIES.has(m.category);
  };

  // ---------------------------------------------------------------- scopes and bindings

  const isScopeNode = (node: TSESTree.Node) =>
    isFunction(node) ||
    node.type === AST_NODE_TYPES.Program ||
    node.type === AST_NODE_TYPES.BlockStatement ||
    node.type === AST_NODE_TYPES.ForStatement ||
    node.type === AST_NODE_TYPES.ForOfStatement ||
    node.type === AST_NODE_TYPES.ForInStatement ||
    node.type === AST_NODE_TYPES.SwitchStatement ||
    node.type === AST_NODE_TYPES.CatchClause;

  const declarationScope = (node: TSESTree.Node, functionScoped: boolean): ScopeNode => {
    let current: TSESTree.Node | undefined = node.parent;
    while (current) {
      if (functionScoped ? isFunction(current) || current.type === AST_NODE_TYPES.Program : isScopeNode(current)) return current;
      current = current.parent;
    }
    return program;
  };

  const lookup = (name: string, at: TSESTree.Node): Binding | undefined => {
    let current: TSESTree.Node | undefined = at;
    while (current) {
      const scope = scopes.get(current);
      if (scope?.has(name)) return scope.get(name);
      current = current.parent;
    }
    return undefined;
  };

  const scopeOf = (scope: ScopeNode) => {
    let map = scopes.get(scope);
    if (!map) scopes.set(scope, (map = new Map()));
    return map;
  };

  const declare = (name: string, value: Value, scope: ScopeNode, overwrite: boolean) => {
    const map = scopeOf(scope);
    if (!overwrite && map.has(name)) return;
    map.set(name, value);
  };

  /** Assignment to an existing variable: it holds PII if any assigned value does. */
  const assign = (name: string, value: Value, at: TSESTree.Node) => {
    let current: TSESTree.Node | undefined = at;
    while (current) {
      const map = scopes.get(current);
      if (map?.has(name)) {
        const old = map.get(name)!;
        map.set(name, merge(old, value));
        return;
      }
      current = current.parent;
    }
    declare(name, value, program, true);
  };

  const merge = (a: Value, b: Value): Value => ({
    taint: a.taint ?? b.taint,
    clean: a.clean && b.clean,
    person: a.person || b.person,
    text: a.taint ? a.text : b.taint ? b.text : a.text,
  });

  const bindPattern = (
    pattern: TSESTree.Node,
    value: Value,
    bindName: (name: string, value: Value) => void,
  ): void => {
    switch (pattern.type) {
      case AST_NODE_TYPES.Identifier:
        bindName(pattern.name, value);
        return;
      case AST_NODE_TYPES.ObjectPattern: {
        const keys = pattern.properties
          .map((p) => (p.type === AST_NODE_TYPES.Property ? keyName(p.key, p.computed) : null))
          .filter((k): k is string => !!k);
        const siblingPii = keys.some(personalKey);
        for (const prop of pattern.properties) {
          if (prop.type === AST_NODE_TYPES.RestElement) {
            bindPattern(prop.argument, { ...value, text: value.text }, bindName);
            continue;
          }
          const key = keyName(prop.key, prop.computed);
          const sub = key === null ? UNKNOWN(value.text) : member(value, key, `${value.text}.${key}`, siblingPii);
          bindPattern(prop.value, sub, bindName);
        }
        return;
      }
      case AST_NODE_TYPES.ArrayPattern:
        for (const element of pattern.elements) if (element) bindPattern(element, elementOf(value), bindName);
        return;
      case AST_NODE_TYPES.AssignmentPattern:
        bindPattern(pattern.left, merge(value, valueOf(pattern.right)), bindName);
        return;
      case AST_NODE_TYPES.RestElement:
        bindPattern(pattern.argument, value, bindName);
        return;
      default:
        return;
    }
  };

  /** After the declaration pass, bindings are final and values can be cached per node. */
  let passDone = false;
  const memo = new Map<TSESTree.Node, Value>();

  // Pass: record what each variable holds, in source order.
  walkTypes(program, BINDING_TYPES, (node) => {
    switch (node.type) {
      case AST_NODE_TYPES.VariableDeclarator: {
        const decl = node.parent as TSESTree.VariableDeclaration;
        const scope = declarationScope(decl, decl.kind === 'var');
        const loop = decl.parent;
        if (
          !node.init &&
          loop &&
          (loop.type === AST_NODE_TYPES.ForOfStatement || loop.type === AST_NODE_TYPES.ForInStatement) &&
          loop.left === decl
        ) {
          const source = loop.type === AST_NODE_TYPES.ForOfStatement ? elementOf(valueOf(loop.right)) : CLEAN(text(loop.right));
          bindPattern(node.id, source, (name, v) => declare(name, v, loop, true));
          break;
        }
        const value = node.init ? valueOf(node.init) : UNKNOWN(text(node.id));
        bindPattern(node.id, node.init ? value : value, (name, v) => declare(name, v, scope, true));
        break;
      }
      case AST_NODE_TYPES.AssignmentExpression: {
        if (node.operator === '=' || node.operator === '||=' || node.operator === '??=' || node.operator === '+=') {
          const value = valueOf(node.right);
          if (node.left.type === AST_NODE_TYPES.Identifier) assign(node.left.name, value, node);
          else if (node.left.type === AST_NODE_TYPES.ObjectPattern || node.left.type === AST_NODE_TYPES.ArrayPattern) {
            bindPattern(node.left, value, (name, v) => assign(name, v, node));
          }
        }
        break;
      }
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.ArrowFunctionExpression: {
        const element = callbackElement(node);
        node.params.forEach((param, index) => {
          const initial = index === 0 && element ? element : UNKNOWN(text(param));
          bindPattern(param, initial, (name, v) => declare(name, v, node, true));
        });
        break;
      }
      case AST_NODE_TYPES.CatchClause:
        // A caught error is allowed in logs: `console.error(err)`.
        if (node.param) bindPattern(node.param, CLEAN(text(node.param)), (name, v) => declare(name, v, node, true));
        break;
      default:
        break;
    }
  });

  passDone = true;

  /** `patients.forEach((p) => …)`: `p` is an element of `patients`. */
  function callbackElement(fn: TSESTree.Node): Value | null {
    const call = fn.parent;
    if (!call || call.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== fn) return null;
    if (call.callee.type !== AST_NODE_TYPES.MemberExpression) return null;
    const method = propertyName(call.callee);
    if (!method || !ARRAY_CALLBACKS.has(method)) return null;
    const receiver = valueOf(call.callee.object);
    return receiver.taint ? elementOf(receiver) : null;
  }

  // ---------------------------------------------------------------- values

  function elementOf(value: Value): Value {
    return { ...value, text: `${value.text}[…]` };
  }

  function isRequest(node: TSESTree.Node): boolean {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.Identifier) return requestNames.has(n.name);
    const path = memberPath(n);
    const last = path?.[path.length - 1];
    return last === 'req' || last === 'request' || last === 'raw';
  }

  function recordLabel(name: string): string {
    const words = splitWords(name);
    const plural = words.some((w) => /(s|es)$/.test(w) && !['details', 'business'].includes(w));
    const kind = words.some((w) => w.startsWith('patient') || w.startsWith('paciente'))
      ? 'patient'
      : words.some((w) => w.startsWith('customer') || w.startsWith('cliente') || w === 'details')
        ? 'customer'
        : words.some((w) => w.startsWith('contact') || w.startsWith('contato'))
          ? 'contact'
          : words.some((w) => w.startsWith('lead'))
            ? 'lead'
            : 'person';
    return plural ? `whole ${kind} records` : `a whole ${kind} record`;
  }

  /** Value of `base.prop`. `siblingPii`: the object's other keys are PII, so `name` is a person's. */
  function member(base: Value, prop: string, displayText: string, siblingPii = false): Value {
    if (prop === 'length' || prop === 'size' || prop === 'byteLength') return CLEAN(displayText);
    if (base.clean) return CLEAN(displayText);
    const person = base.person || !!base.taint?.person || siblingPii;
    const m = vocab.match(prop, { person });
    if (m) return { taint: piiTaint(m, displayText), clean: false, person: false, text: displayText };
    if (vocab.isVetoed(prop)) return CLEAN(displayText);
    const propPerson = vocab.isPersonName(prop) || PERSON_PROPS.has(prop);
    if (base.taint?.kind === 'pii') {
      // `customer_details.address.line1` is still the address; `tokenData.object_path`, `logPayload.service_code` are not.
      return PII_COMPONENTS.has(prop.toLowerCase()) ? { ...base, text: displayText } : UNKNOWN(displayText);
    }
    if (base.taint?.kind === 'record') {
      // Stripe's `invoice.customer` is an id.
      if (RECORD_PROPS.has(prop) || (prop !== 'customer' && vocab.isRecordName(prop)) || /^\d+$/.test(prop)) {
        // `event.data.object` reads better than the call it came from; `req.json().record` does not.
        const origin = /^[\w$.[\]…]+$/.test(base.text) ? displayText : base.taint.origin;
        return { taint: { ...base.taint, origin, person: base.taint.person || propPerson }, clean: false, person: person || propPerson, text: displayText };
      }
      return UNKNOWN(displayText, propPerson);
    }
    if (prop === 'object' && /\.data$/.test(base.text)) {
      return { taint: { kind: 'record', label: 'the whole webhook payload', origin: displayText }, clean: false, person: false, text: displayText };
    }
    if (prop !== 'customer' && vocab.isRecordName(prop)) {
      return { taint: { kind: 'record', label: recordLabel(prop), origin: displayText, person: true }, clean: false, person: true, text: displayText };
    }
    return UNKNOWN(displayText, propPerson);
  }

  function nameValue(name: string, node: TSESTree.Node): Value {
    const binding = lookup(name, node);
    if (binding?.clean) return CLEAN(name);
    const m = vocab.match(name);
    if (m) return { taint: piiTaint(m, name), clean: false, person: false, text: name };
    // `const customerId = invoice.customer`: the name says it is an id, whatever it came from.
    if (vocab.isVetoed(name)) return UNKNOWN(name);
    if (binding?.taint) return { ...binding, text: name };
    if (vocab.isRecordName(name)) {
      return { taint: { kind: 'record', label: recordLabel(name), origin: name, person: true }, clean: false, person: true, text: name };
    }
    return UNKNOWN(name, (binding?.person ?? false) || vocab.isPersonName(name));
  }

  function valueOf(node: TSESTree.Node): Value {
    if (!passDone) return computeValue(node);
    let v = memo.get(node);
    if (!v) memo.set(node, (v = computeValue(node)));
    return v;
  }

  function computeValue(node: TSESTree.Node): Value {
    const n = unwrap(node);
    switch (n.type) {
      case AST_NODE_TYPES.Literal:
        return CLEAN(text(n));
      case AST_NODE_TYPES.TemplateLiteral:
        return n.expressions.reduce<Value>((acc, e) => merge(acc, valueOf(e)), CLEAN(text(n)));
      case AST_NODE_TYPES.Identifier:
        return n.name === 'undefined' ? CLEAN('undefined') : nameValue(n.name, n);
      case AST_NODE_TYPES.MemberExpression: {
        const base = valueOf(n.object);
        const prop = propertyName(n);
        if (prop === null) {
          // `rows[0]`, `body[key]`: an element keeps a list's records.
          return n.computed && n.property.type === AST_NODE_TYPES.Literal && base.taint?.kind === 'record'
            ? { ...base, text: text(n) }
            : UNKNOWN(text(n));
        }
        if (prop === 'headers' && isRequest(n.object)) {
          return {
            taint: { kind: 'record', label: 'all request headers, with the Authorization token', origin: text(n) },
            clean: false,
            person: false,
            text: text(n),
          };
        }
        return member(base, prop, text(n));
      }
      case AST_NODE_TYPES.CallExpression:
        return callValue(n);
      case AST_NODE_TYPES.NewExpression: {
        const path = memberPath(n.callee);
        const name = path?.[path.length - 1] ?? '';
        if (/Error$|^URL(SearchParams)?$|^Response$|^Blob$/.test(name)) {
          return n.arguments.reduce<Value>((acc, a) => merge(acc, valueOf(a)), UNKNOWN(text(n)));
        }
        return UNKNOWN(text(n));
      }
      case AST_NODE_TYPES.ObjectExpression:
        return objectValue(n);
      case AST_NODE_TYPES.ArrayExpression:
        return n.elements.reduce<Value>((acc, e) => (e ? merge(acc, valueOf(e)) : acc), CLEAN(text(n)));
      case AST_NODE_TYPES.SpreadElement:
        return valueOf(n.argument);
      case AST_NODE_TYPES.BinaryExpression:
        if (n.operator === '+') return merge(valueOf(n.left), valueOf(n.right));
        return CLEAN(text(n));
      case AST_NODE_TYPES.LogicalExpression:
        if (n.operator === '&&') return valueOf(n.right);
        return merge(valueOf(n.left), valueOf(n.right));
      case AST_NODE_TYPES.ConditionalExpression:
        return merge(valueOf(n.consequent), valueOf(n.alternate));
      case AST_NODE_TYPES.UnaryExpression:
      case AST_NODE_TYPES.UpdateExpression:
        return CLEAN(text(n));
      case AST_NODE_TYPES.AssignmentExpression:
        return valueOf(n.right);
      case AST_NODE_TYPES.SequenceExpression:
        return valueOf(n.expressions[n.expressions.length - 1]);
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.ClassExpression:
        return CLEAN(text(n));
      default:
        return UNKNOWN(text(n));
    }
  }

  function objectValue(n: TSESTree.ObjectExpression): Value {
    const siblingPii = objectHasPiiKey(n);
    let acc = CLEAN(text(n));
    for (const prop of n.properties) {
      if (prop.type === AST_NODE_TYPES.SpreadElement) {
        acc = merge(acc, valueOf(prop.argument));
        continue;
      }
      const value = valueOf(prop.value);
      const keyTaint = propertyKeyTaint(prop, siblingPii, value);
      acc = merge(acc, keyTaint ? { taint: keyTaint, clean: false, person: false, text: acc.text } : value);
    }
    return { ...acc, text: text(n) };
  }

  function objectHasPiiKey(n: TSESTree.ObjectExpression): boolean {
    return n.properties.some((p) => {
      if (p.type !== AST_NODE_TYPES.Property) return false;
      const key = keyName(p.key, p.computed);
      return !!key && personalKey(key);
    });
  }

  /** `{ email }`, `{ email: x }`: the key says what the value is, unless the value is plainly safe. */
  function propertyKeyTaint(prop: TSESTree.Property, siblingPii: boolean, value: Value): Taint | null {
    const key = keyName(prop.key, prop.computed);
    if (!key || isFunction(prop.value)) return null;
    if (value.clean) return null;
    const m = vocab.match(key, { person: siblingPii });
    if (!m) return null;
    // `{ email: user.email }`: the value's own origin.
    if (value.taint?.kind === 'pii') return value.taint;
    return piiTaint(m, key);
  }

  function callValue(n: TSESTree.CallExpression): Value {
    const display = text(n);
    const path = calleePath(n);
    const joined = path?.join('.') ?? '';
    const last = path?.[path.length - 1] ?? (n.callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(n.callee) : null);

    // Sanitizers clear PII: `maskCpf(cpf)`, `redact(body)`, `hashEmail(email)`.
    if (last && isSanitizerName(last, sanitizers)) return CLEAN(display);
    if (CLEAN_CALLS.has(joined)) return CLEAN(display);
    if (PASS_THROUGH_CALLS.has(joined)) {
      return n.arguments.slice(0, 1).reduce<Value>((acc, a) => merge(acc, valueOf(a)), UNKNOWN(display));
    }

    // Supabase query results.
    const query = queriesByTop.get(n);
    if (query) return queryValue(query, display);

    if (n.callee.type === AST_NODE_TYPES.MemberExpression) {
      const receiverNode = n.callee.object;
      const method = propertyName(n.callee);

      // Whole request bodies.
      if (method && BODY_METHODS.has(method) && isRequest(receiverNode)) {
        const label = method === 'formData' || method === 'parseBody' ? 'the whole request form' : 'the whole request body';
        return { taint: { kind: 'record', label, origin: display }, clean: false, person: false, text: display };
      }
      // `c.req.header()` without a name: all headers.
      if (method === 'header' && n.arguments.length === 0 && isRequest(receiverNode)) {
        return { taint: { kind: 'record', label: 'all request headers, with the Authorization token', origin: display }, clean: false, person: false, text: display };
      }
      // Lookups by a PII key: headers.get('authorization'), formData.get('cpf'), Deno.env.get('X_SECRET').
      if (method && KEYED_LOOKUPS.has(method)) {
        const key = stringValue(n.arguments[0]);
        const m = key ? vocab.match(key) : null;
        if (m) return { taint: piiTaint(m, display), clean: false, person: false, text: display };
        // `form.get('nome')` on a whole form reads one field of it.
        const receiver = key ? valueOf(receiverNode) : null;
        if (key && receiver?.taint?.kind === 'record') return member(receiver, key, display, false);
      }
      // Verified webhook payloads.
      if (
        (method === 'constructEvent' || method === 'constructEventAsync') ||
        (method === 'verify' && /^(wh|webhook|svix|standardwebhook)/i.test(path?.[path.length - 2] ?? ''))
      ) {
        return { taint: { kind: 'record', label: 'the whole webhook payload', origin: display }, clean: false, person: false, text: display };
      }
      // Auth users and sessions.
      if (path && path.includes('auth')) {
        if (/^(getUser|getUserById|listUsers|createUser|updateUserById|inviteUserByEmail|signUp|getUserIdentities)$/.test(last ?? '')) {
          return { taint: { kind: 'record', label: 'the auth user (e-mail, phone, metadata)', origin: display, person: true }, clean: false, person: true, text: display };
        }
        if (/^(getSession|signIn\w*|refreshSession|exchangeCodeForSession|verifyOtp|setSession|generateLink)$/.test(last ?? '')) {
          return { taint: { kind: 'record', label: 'an auth session (access token)', origin: display }, clean: false, person: false, text: display };
        }
      }
      // Stripe customers.
      if (path && path.includes('customers') && /^(retrieve|create|update|list|search)$/.test(last ?? '')) {
        return { taint: { kind: 'record', label: 'a whole customer record', origin: display, person: true }, clean: false, person: true, text: display };
      }

      const receiver = valueOf(receiverNode);
      // `rows.map((r) => r.id)`: what the callback returns, not the rows.
      if (receiver.taint && (method === 'map' || method === 'flatMap') && isFunction(n.arguments[0])) {
        const callback = n.arguments[0];
        // Bind the element now: the declaration pass reaches the callback after this call's statement.
        if (callback.params[0]) bindPattern(callback.params[0], elementOf(receiver), (name, v) => declare(name, v, callback, true));
        const returned = returnedExpression(callback);
        return returned ? { ...valueOf(returned), text: display } : UNKNOWN(display);
      }
      if (receiver.taint && method) {
        if (CLEAN_METHODS.has(method)) return CLEAN(display);
        if (SLICING_METHODS.has(method)) return receiver.taint.kind === 'record' ? { ...receiver, text: display } : CLEAN(display);
        if (PRESERVING_METHODS.has(method)) return { ...receiver, text: display };
      }
      return UNKNOWN(display);
    }
    return UNKNOWN(display);
  }

  function queryValue(query: QueryChain, display: string): Value {
    const selectCall =
      query.operation === 'select' ? query.operationCall : query.filters.find((f) => f.method === 'select')?.call ?? null;
    if (!selectCall && query.operation !== 'select') return UNKNOWN(display);
    const table = query.table ?? '?';
    const arg = selectCall?.arguments[0];
    const select = arg ? stringValue(arg) : '*';
    if (select === null) return UNKNOWN(display);
    const columns = selectColumns(select);
    const people = query.table ? isPeopleTable(query.table) : false;
    const siblingPii = people || columns.some(personalKey);
    const pii = [...new Set(columns.filter((c) => c !== '*' && vocab.match(c, { person: siblingPii })))];
    const origin = `from('${table}')`;
    if (pii.length > 0) {
      const label = `rows with ${pii.slice(0, 4).join(', ')}${pii.length > 4 ? ', …' : ''}`;
      return { taint: { kind: 'record', label, origin, person: siblingPii }, clean: false, person: siblingPii, text: display };
    }
    if ((columns.includes('*') || columns.length === 0) && people) {
      return { taint: { kind: 'record', label: `whole rows of \`${table}\``, origin, person: true }, clean: false, person: true, text: display };
    }
    return UNKNOWN(display);
  }

  // ---------------------------------------------------------------- leaks in a logged argument

  function leaksIn(node: TSESTree.Node): Leak[] {
    const n = unwrap(node);
    switch (n.type) {
      case AST_NODE_TYPES.Literal:
        return [];
      case AST_NODE_TYPES.TemplateLiteral:
        return n.expressions.flatMap((e) => leaksIn(e));
      case AST_NODE_TYPES.BinaryExpression:
        return n.operator === '+' ? [...leaksIn(n.left), ...leaksIn(n.right)] : [];
      case AST_NODE_TYPES.LogicalExpression:
        return n.operator === '&&' ? leaksIn(n.right) : [...leaksIn(n.left), ...leaksIn(n.right)];
      case AST_NODE_TYPES.ConditionalExpression:
        return [...leaksIn(n.consequent), ...leaksIn(n.alternate)];
      case AST_NODE_TYPES.ArrayExpression:
        return n.elements.flatMap((e) => (e ? leaksIn(e) : []));
      case AST_NODE_TYPES.SpreadElement:
        return leaksIn(n.argument);
      case AST_NODE_TYPES.ObjectExpression: {
        const siblingPii = objectHasPiiKey(n);
        return n.properties.flatMap((prop) => {
          if (prop.type === AST_NODE_TYPES.SpreadElement) return leaksIn(prop.argument);
          const value = valueOf(prop.value);
          const keyTaint = propertyKeyTaint(prop, siblingPii, value);
          if (keyTaint) {
            // `{ email }`, `{ email: user.email }`: at the value; `{ email: to }`: at the property, named by its key.
            const valueTaint = value.taint;
            if (prop.shorthand || valueTaint === keyTaint) return [{ node: prop.value, text: text(prop.value), taint: keyTaint }];
            return [{ node: prop, text: keyName(prop.key, prop.computed) ?? text(prop.key), taint: keyTaint }];
          }
          return isFunction(prop.value) ? [] : leaksIn(prop.value);
        });
      }
      case AST_NODE_TYPES.CallExpression: {
        const path = calleePath(n);
        const joined = path?.join('.') ?? '';
        if (PASS_THROUGH_CALLS.has(joined) && n.arguments[0]) return leaksIn(n.arguments[0]);
        break;
      }
      case AST_NODE_TYPES.NewExpression: {
        const path = memberPath(n.callee);
        if (path && /Error$/.test(path[path.length - 1])) return n.arguments.flatMap((a) => leaksIn(a));
        break;
      }
      default:
        break;
    }
    const value = valueOf(n);
    return value.taint ? [{ node, text: text(node), taint: value.taint }] : [];
  }

  return {
    leaksIn,
    taintOf: (node) => valueOf(node).taint,
  };
}

/** The expression a callback returns: its expression body or its first `return x`. */
function returnedExpression(fn: TSESTree.Node): TSESTree.Node | null {
  if (!isFunction(fn)) return null;
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return fn.body;
  let found: TSESTree.Node | null = null;
  walk(fn.body, (node) => {
    if (found) return false;
    if (node !== fn.body && isFunction(node)) return false;
    if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) {
      found = node.argument;
      return false;
    }
    return true;
  });
  return found;
}

/** `parseSelectColumns`, cached: the same select strings come back in every file (read only here). */
const selectCache = new Map<string, readonly string[]>();
function selectColumns(select: string): readonly string[] {
  let columns = selectCache.get(select);
  if (!columns) {
    if (selectCache.size >= 10_000) selectCache.clear();
    columns = parseSelectColumns(select);
    selectCache.set(select, columns);
  }
  return columns;
}

function keyName(key: TSESTree.Node, computed: boolean): string | null {
  if (!computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  return stringValue(key) ?? (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'number' ? String(key.value) : null);
}
