import { visitorKeys } from '@typescript-eslint/visitor-keys';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export function isFunction(node: TSESTree.Node | null | undefined): node is FunctionNode {
  return (
    !!node &&
    (node.type === AST_NODE_TYPES.FunctionDeclaration ||
      node.type === AST_NODE_TYPES.FunctionExpression ||
      node.type === AST_NODE_TYPES.ArrowFunctionExpression)
  );
}

/** Strips `as`, `satisfies`, `!` and parentheses-free wrappers that do not change the value. */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
        current = current.expression;
        break;
      case AST_NODE_TYPES.AwaitExpression:
        current = current.argument;
        break;
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** `a.b.c` → `['a', 'b', 'c']`; computed string keys count; anything else → null. */
export function memberPath(node: TSESTree.Node): string[] | null {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) return [n.name];
  if (n.type === AST_NODE_TYPES.ThisExpression) return ['this'];
  if (n.type === AST_NODE_TYPES.MetaProperty) return [n.meta.name, n.property.name];
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const object = memberPath(n.object);
    if (!object) return null;
    const key = propertyName(n);
    return key === null ? null : [...object, key];
  }
  return null;
}

/** Name of a member expression's property when it is static (`.x` or `['x']`). */
export function propertyName(node: TSESTree.MemberExpression): string | null {
  if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  if (node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string') return node.property.value;
  if (node.property.type === AST_NODE_TYPES.PrivateIdentifier) return node.property.name;
  return null;
}

/** Callee path of a call: `Deno.serve(...)` → `['Deno', 'serve']`. */
export function calleePath(call: TSESTree.CallExpression): string[] | null {
  return memberPath(call.callee);
}

export function stringValue(node: TSESTree.Node | undefined | null): string | null {
  if (!node) return null;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) {
    return node.quasis.map((q) => q.value.cooked ?? q.value.raw).join('');
  }
  return null;
}

export const SKIP_KEYS: ReadonlySet<string> = new Set(['parent', 'loc', 'range', 'tokens', 'comments', 'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments']);

/** Child keys per node type, in source order, without the keys no analysis looks into. */
const CHILD_KEYS = new Map<string, readonly string[]>();

function childKeys(node: TSESTree.Node): readonly string[] {
  let keys = CHILD_KEYS.get(node.type);
  if (!keys) {
    const known = (visitorKeys as Record<string, readonly string[] | undefined>)[node.type] ?? Object.keys(node);
    keys = known.filter((key) => !SKIP_KEYS.has(key));
    CHILD_KEYS.set(node.type, keys);
  }
  return keys;
}

/**
 * Pre-order layout of a whole Program, shared by every walk over it: `nodes[i]` is the
 * i-th node in source order, `parents[i]` its parent, `ends[i]` one past its subtree.
 * A walk of any subtree is then a loop over a slice of the array, and skipping a node's
 * children is a jump to `ends[i]`; the tree is traversed once per file, not once per walk.
 */
export interface TreeIndex {
  readonly nodes: readonly TSESTree.Node[];
  readonly parents: ReadonlyArray<TSESTree.Node | null>;
  readonly ends: Int32Array;
  /** Positions of nodes walks started from (and their ancestors), found through parent pointers. */
  readonly rootPositions: Map<TSESTree.Node, number>;
  /** Positions of the nodes of each type, ascending. */
  readonly byType: ReadonlyMap<string, readonly number[]>;
  /** Merged positions per list of types (see `walkTypes`), by the list's identity. */
  readonly merged: Map<readonly string[], Int32Array>;
}

const treeIndexes = new WeakMap<TSESTree.Node, TreeIndex>();

/** The index of a Program (built on first use, then cached for as long as the Program lives). */
export function treeIndex(program: TSESTree.Program): TreeIndex {
  let index = treeIndexes.get(program);
  if (!index) {
    index = buildIndex(program);
    treeIndexes.set(program, index);
  }
  return index;
}

function buildIndex(root: TSESTree.Node): TreeIndex {
  const nodes: TSESTree.Node[] = [];
  const parents: Array<TSESTree.Node | null> = [];
  const byType = new Map<string, number[]>();
  let ends = new Int32Array(1024);
  // Same traversal as `walkTree`, recording each node's slot; a node's end is known once
  // the stack drops back below the depth it was pushed at.
  const stack: TSESTree.Node[] = [root];
  const stackParents: Array<TSESTree.Node | null> = [null];
  const open: number[] = [];
  const openDepth: number[] = [];
  while (stack.length > 0) {
    const depth = stack.length - 1;
    while (open.length > 0 && openDepth[openDepth.length - 1] > depth) {
      ends[open.pop()!] = nodes.length;
      openDepth.pop();
    }
    const node = stack.pop()!;
    const parent = stackParents.pop()!;
    const i = nodes.length;
    nodes.push(node);
    parents.push(parent);
    const ofType = byType.get(node.type);
    if (ofType) ofType.push(i);
    else byType.set(node.type, [i]);
    if (i >= ends.length) {
      const grown = new Int32Array(ends.length * 2);
      grown.set(ends);
      ends = grown;
    }
    open.push(i);
    openDepth.push(depth);
    pushChildren(node, stack, stackParents);
  }
  while (open.length > 0) {
    ends[open.pop()!] = nodes.length;
    openDepth.pop();
  }
  return { nodes, parents, ends: ends.subarray(0, nodes.length), rootPositions: new Map([[root, 0]]), byType, merged: new Map() };
}

/**
 * Position of `node` in the index, found from its nearest ancestor with a known position
 * by stepping over sibling subtrees; undefined when its parent pointers do not lead
 * through the index (a type annotation, a tree without parents).
 */
export function indexPosition(index: TreeIndex, node: TSESTree.Node): number | undefined {
  const known = index.rootPositions.get(node);
  if (known !== undefined) return known;
  const path: TSESTree.Node[] = [];
  let current: TSESTree.Node | undefined = node;
  let position: number | undefined;
  while (current) {
    position = index.rootPositions.get(current);
    if (position !== undefined) break;
    path.push(current);
    current = current.parent;
  }
  if (position === undefined) return undefined;
  const { nodes, ends } = index;
  for (let k = path.length - 1; k >= 0; k--) {
    const target = path[k];
    let found: number | undefined;
    for (let c = position + 1, end = ends[position]; c < end; c = ends[c]) {
      if (nodes[c] === target) {
        found = c;
        break;
      }
    }
    if (found === undefined) return undefined;
    position = found;
    index.rootPositions.set(target, position);
  }
  return position;
}

function pushChildren(node: TSESTree.Node, nodes: TSESTree.Node[], parents: Array<TSESTree.Node | null>): void {
  const keys = childKeys(node);
  // Push in reverse so children pop in source order.
  for (let k = keys.length - 1; k >= 0; k--) {
    const value = (node as unknown as Record<string, unknown>)[keys[k]];
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        if (isNode(value[i])) {
          nodes.push(value[i]);
          parents.push(node);
        }
      }
    } else if (isNode(value)) {
      nodes.push(value);
      parents.push(node);
    }
  }
}

/** The Program a node belongs to, by its parent pointers; null when they do not lead to one. */
function programOf(node: TSESTree.Node): TSESTree.Program | null {
  let current: TSESTree.Node | undefined = node;
  while (current) {
    if (current.type === AST_NODE_TYPES.Program) return current;
    current = current.parent;
  }
  return null;
}

/**
 * Visits every node under `root` in source order. Returning `false` from `visit`
 * skips that node's children (used to stay out of nested functions). The hottest
 * function of the plugin: it runs over the Program's shared pre-order index (see
 * `treeIndex`), and falls back to a direct traversal for nodes outside one (no parent
 * pointers, or type annotations, which the index leaves out like the walk does).
 */
export function walk(root: TSESTree.Node, visit: (node: TSESTree.Node, parent: TSESTree.Node | null) => boolean | void): void {
  const program = programOf(root);
  const index = program ? treeIndex(program) : null;
  const start = index ? indexPosition(index, root) : undefined;
  if (!index || start === undefined) {
    walkTree(root, visit);
    return;
  }
  const { nodes, parents, ends } = index;
  const end = ends[start];
  if (visit(root, null) === false) return;
  for (let i = start + 1; i < end; ) {
    if (visit(nodes[i], parents[i]) === false) i = ends[i];
    else i++;
  }
}

function positionsOf(index: TreeIndex, types: readonly string[]): Int32Array {
  let positions = index.merged.get(types);
  if (!positions) {
    const lists = types.map((t) => index.byType.get(t) ?? []);
    positions = new Int32Array(lists.reduce((n, l) => n + l.length, 0));
    let k = 0;
    for (const list of lists) for (const i of list) positions[k++] = i;
    if (lists.length > 1) positions.sort();
    index.merged.set(types, positions);
  }
  return positions;
}

/**
 * `walk(root, (n, p) => types.includes(n.type) ? visit(n, p) : true)`, without calling
 * anything for the other nodes: on an indexed tree it jumps from one node of those types to
 * the next. For visitors that do nothing for other types and never stop descending at them.
 * `types` should be a constant (the merged positions are cached by its identity).
 */
export function walkTypes(
  root: TSESTree.Node,
  types: readonly AST_NODE_TYPES[],
  visit: (node: TSESTree.Node, parent: TSESTree.Node | null) => boolean | void | typeof STOP_WALK,
): void {
  const program = programOf(root);
  const index = program ? treeIndex(program) : null;
  const start = index ? indexPosition(index, root) : undefined;
  if (!index || start === undefined) {
    let stopped = false;
    walkTree(root, (n, p) => {
      if (stopped) return false;
      if (!(types as readonly string[]).includes(n.type)) return true;
      const next = visit(n, p);
      if (next === STOP_WALK) {
        stopped = true;
        return false;
      }
      return next;
    });
    return;
  }
  const positions = positionsOf(index, types);
  const { nodes, parents, ends } = index;
  const end = ends[start];
  // First position at or after `start`.
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (positions[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < positions.length; ) {
    const i = positions[k];
    if (i >= end) break;
    k++;
    const next = visit(nodes[i], i === start ? null : parents[i]);
    if (next === STOP_WALK) return;
    if (next === false) {
      // Past the subtree: first position at or after its end.
      const skipTo = ends[i];
      let hi2 = positions.length;
      while (k < hi2) {
        const mid = (k + hi2) >>> 1;
        if (positions[mid] < skipTo) k = mid + 1;
        else hi2 = mid;
      }
    }
  }
}

/** Returned by a `walkTypes` visitor: nothing after this node matters, stop the walk. */
export const STOP_WALK: unique symbol = Symbol('stop walk');

/** Direct traversal, for trees without an index (and the reference the index is tested against). */
export function walkTree(root: TSESTree.Node, visit: (node: TSESTree.Node, parent: TSESTree.Node | null) => boolean | void): void {
  const nodes: TSESTree.Node[] = [root];
  const parents: Array<TSESTree.Node | null> = [null];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const parent = parents.pop()!;
    if (visit(node, parent) === false) continue;
    pushChildren(node, nodes, parents);
  }
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
