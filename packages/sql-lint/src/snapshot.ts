/**
 * (De)serialisation of the linter's state between files, for `lintMigrations(…, { resumeFrom })`.
 *
 * The replayed model is an object graph, not a tree: statements are shared by `createdAt` /
 * `changedAt` of several objects, a relation reference points at the very table it names (so a
 * later rename follows it), a policy points back at its table. `encodeGraph` writes every object
 * once, in a flat table, and writes references as indexes into it; `decodeGraph` rebuilds the same
 * graph (same sharing, same cycles, same key order, Maps and Sets included). Both walk iteratively:
 * deep expression trees of policies do not overflow the stack.
 */

/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * An encoded graph. Values: strings, booleans, null and finite numbers as themselves; `[id]` is
 * the object `objects[id]`; `[]` is `undefined`. Objects are arrays tagged by their first element:
 * `[OBJECT, shape, …values]` (the keys are `shapes[shape]`, shared by objects with the same keys),
 * `[FROZEN, shape, …values]`, `[ARRAY, …values]`, `[MAP, key, value, key, value, …]`,
 * `[SET, …values]`, `[CONSTANT, name]` for a shared object the caller names.
 */
export interface EncodedGraph {
  root: Json;
  shapes: string[][];
  objects: Json[][];
}

const OBJECT = 0;
const FROZEN = 1;
const ARRAY = 2;
const MAP = 3;
const SET = 4;
const CONSTANT = 5;

export function encodeGraph(root: unknown, constants: ReadonlyMap<object, string> = new Map()): EncodedGraph {
  const ids = new Map<object, number>();
  const pending: object[] = [];
  const objects: Json[][] = [];
  const shapes: string[][] = [];
  const shapeIds = new Map<string, number>();
  const value = (v: unknown): Json => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        if (!Number.isFinite(v)) throw new Error(`snapshot: cannot encode the number ${v}`);
        return v;
      case 'undefined':
        return [];
      case 'object': {
        if (v === null) return null;
        let id = ids.get(v);
        if (id === undefined) {
          id = ids.size;
          ids.set(v, id);
          pending.push(v);
        }
        return [id];
      }
      default:
        throw new Error(`snapshot: cannot encode a ${typeof v}`);
    }
  };
  const rootValue = value(root);
  for (let i = 0; i < pending.length; i++) {
    const v = pending[i];
    const entry: Json[] = [];
    const constant = constants.get(v);
    if (constant !== undefined) entry.push(CONSTANT, constant);
    else if (Array.isArray(v)) {
      entry.push(ARRAY);
      for (const x of v as unknown[]) entry.push(value(x));
    } else if (v instanceof Map) {
      entry.push(MAP);
      for (const [k, x] of v) entry.push(value(k), value(x));
    } else if (v instanceof Set) {
      entry.push(SET);
      for (const x of v) entry.push(value(x));
    } else {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new Error(`snapshot: cannot encode an instance of ${(v.constructor as { name?: string } | undefined)?.name ?? 'a class'}`);
      const keys = Object.keys(v);
      const signature = keys.join('\0');
      let shape = shapeIds.get(signature);
      if (shape === undefined) {
        shape = shapes.length;
        shapes.push(keys);
        shapeIds.set(signature, shape);
      }
      entry.push(Object.isFrozen(v) ? FROZEN : OBJECT, shape);
      for (const key of keys) entry.push(value((v as Record<string, unknown>)[key]));
    }
    objects.push(entry);
  }
  return { root: rootValue, shapes, objects };
}

export function decodeGraph(graph: EncodedGraph, constants: ReadonlyMap<string, object> = new Map()): unknown {
  const { objects, shapes } = graph;
  // First every object as an empty shell, so references (cycles included) have a target…
  const shells: object[] = objects.map((e) => {
    switch (e[0]) {
      case OBJECT:
      case FROZEN:
        return {};
      case ARRAY:
        return [];
      case MAP:
        return new Map();
      case SET:
        return new Set();
      case CONSTANT: {
        const c = constants.get(e[1] as string);
        if (!c) throw new Error(`snapshot: unknown constant ${String(e[1])}`);
        return c;
      }
      default:
        throw new Error('snapshot: unknown entry');
    }
  });
  const value = (v: Json): unknown => {
    if (!Array.isArray(v)) return v;
    if (v.length === 0) return undefined;
    const shell = shells[v[0] as number];
    if (shell === undefined) throw new Error('snapshot: dangling reference');
    return shell;
  };
  // …then their contents.
  for (let i = 0; i < objects.length; i++) {
    const e = objects[i];
    const shell = shells[i];
    switch (e[0]) {
      case OBJECT:
      case FROZEN: {
        const keys = shapes[e[1] as number];
        const target = shell as Record<string, unknown>;
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k];
          if (key === '__proto__') Object.defineProperty(target, key, { value: value(e[k + 2]), enumerable: true, writable: true, configurable: true });
          else target[key] = value(e[k + 2]);
        }
        break;
      }
      case ARRAY:
        for (let k = 1; k < e.length; k++) (shell as unknown[]).push(value(e[k]));
        break;
      case MAP:
        for (let k = 1; k < e.length; k += 2) (shell as Map<unknown, unknown>).set(value(e[k]), value(e[k + 1]));
        break;
      case SET:
        for (let k = 1; k < e.length; k++) (shell as Set<unknown>).add(value(e[k]));
        break;
      default:
        break;
    }
  }
  for (let i = 0; i < objects.length; i++) if (objects[i][0] === FROZEN) Object.freeze(shells[i]);
  return value(graph.root);
}

/** A 53-bit hash of a text (cyrb53) plus its length: tells whether a migration changed. */
export function textFingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${text.length.toString(36)}:${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
}

/** JSON text of a value with object keys sorted, so equal options give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}
