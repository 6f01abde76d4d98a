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

/**
 * Visits every node under `root` in source order. Returning `false` from `visit`
 * skips that node's children (used to stay out of nested functions).
 */
export function walk(root: TSESTree.Node, visit: (node: TSESTree.Node, parent: TSESTree.Node | null) => boolean | void): void {
  const stack: Array<[TSESTree.Node, TSESTree.Node | null]> = [[root, null]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!;
    if (visit(node, parent) === false) continue;
    const children: TSESTree.Node[] = [];
    for (const key of Object.keys(node)) {
      if (SKIP_KEYS.has(key)) continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) children.push(item);
      } else if (isNode(value)) {
        children.push(value);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], node]);
  }
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
