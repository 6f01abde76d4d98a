import { nameList, stringValue, walk } from '../parse/ast.js';
import type { AstNode } from '../parse/statements.js';
import { keyOf } from '../model/schema.js';
import type { SchemaModel, SqlFunction } from '../model/schema.js';
import { qualifiedName } from '../model/names.js';
import { defineRule } from './rule.js';

const METADATA = /\b(raw_)?user_meta_?data\b/i;

export const noUserMetadataInPolicy = defineRule(
  'no-user-metadata-in-policy',
  'Policies must not trust user_metadata, which every user can edit.',
  'error',
  'tenant-isolation',
  (context) => {
    const bodies = new Map<SqlFunction, boolean>();
    for (const table of context.model.tables.values()) {
      for (const policy of table.policies.values()) {
        context.visiting(policy.changedAt);
        const via = readsUserMetadata(policy.using, context.model, bodies) ?? readsUserMetadata(policy.withCheck, context.model, bodies);
        if (!via) continue;
        const name = keyOf(table);
        context.report({
          at: policy.changedAt,
          object: name,
          message: `policy "${policy.name}" on ${name} trusts user_metadata${via === true ? '' : ` (through ${via})`}, which every user can change for themselves with supabase.auth.updateUser() — read the claim from app_metadata (only the server can write it) or from a table.`,
        });
      }
    }
  },
);

/**
 * `true` when the expression reads user metadata itself, a function name when a helper it calls
 * does. `bodies` remembers which function bodies mention it (every policy calls the same helpers).
 */
function readsUserMetadata(expr: AstNode | undefined, model: SchemaModel, bodies: Map<SqlFunction, boolean>): true | string | undefined {
  if (!expr) return undefined;
  // One walk for both questions: does it read the metadata itself, and which functions does it call.
  let direct = false;
  const called: string[][] = [];
  walk(expr, (kind, value) => {
    if (direct) return false;
    if (kind === 'String' || kind === 'A_Const') {
      const s = kind === 'String' ? value.sval : value.sval ? (value.sval.sval ?? '') : undefined;
      if (typeof s === 'string' && METADATA.test(s)) direct = true;
    } else if (kind === 'ColumnRef') {
      for (const field of value.fields ?? []) {
        const f = stringValue(field);
        if (f !== undefined && f !== '' && METADATA.test(f)) direct = true;
      }
    } else if (kind === 'FuncCall') called.push(nameList(value.funcname));
  });
  if (direct) return true;
  const byName = functionsByName(model);
  for (const parts of called) {
    const name = parts[parts.length - 1];
    const schema = parts.length >= 2 ? parts[parts.length - 2] : undefined;
    for (const fn of byName.get(name) ?? []) {
      if (schema !== undefined && fn.schema !== schema) continue;
      let reads = bodies.get(fn);
      if (reads === undefined) bodies.set(fn, (reads = METADATA.test(fn.body)));
      if (reads) return `${qualifiedName(fn.schema, fn.name)}()`;
    }
  }
  return undefined;
}

const indexes = new WeakMap<SchemaModel, Map<string, SqlFunction[]>>();

/** Functions by bare name, built once per model: policies × functions was the rule's whole cost. */
function functionsByName(model: SchemaModel): Map<string, SqlFunction[]> {
  let index = indexes.get(model);
  if (!index) {
    index = new Map();
    for (const fn of model.functions.values()) index.set(fn.name, [...(index.get(fn.name) ?? []), fn]);
    indexes.set(model, index);
  }
  return index;
}
