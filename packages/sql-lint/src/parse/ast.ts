import type { AstNode } from './statements.js';

/** The kind of a wrapped node (`{ ColumnRef: {...} }` → `ColumnRef`). */
export function kindOf(node: AstNode | undefined): string | undefined {
  return node ? Object.keys(node)[0] : undefined;
}

/** The string value of a `String` node (or of an `A_Const` string). */
export function stringValue(node: AstNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.String) return node.String.sval ?? '';
  if (node.A_Const?.sval) return node.A_Const.sval.sval ?? '';
  if (node.TypeCast) return stringValue(node.TypeCast.arg);
  return undefined;
}

/** `[{String:{sval:'a'}},{String:{sval:'b'}}]` → `['a','b']`. */
export function nameList(list: AstNode[] | undefined): string[] {
  return (list ?? []).map((n) => stringValue(n) ?? (n.A_Star ? '*' : '')).filter((s) => s !== '');
}

/** Calls `visit(kind, value)` for every wrapped node below `root` (depth first, parents first). */
export function walk(root: unknown, visit: (kind: string, value: AstNode) => void | false): void {
  // Hot: every rule and the replay walk expressions. No regex and no array copies per node.
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const current = stack.pop();
    if (!current || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push(current[i]);
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length === 1) {
      const key = keys[0];
      const first = key.charCodeAt(0);
      if (first >= 65 && first <= 90) {
        // `{ Kind: { ...fields } }`: a wrapped node.
        const value = (current as AstNode)[key];
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          if (visit(key, value) === false) continue;
          stack.push(value);
          continue;
        }
      }
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const value = (current as AstNode)[keys[i]];
      if (value && typeof value === 'object') stack.push(value);
    }
  }
}

/** Boolean-ish value of a reloption / DefElem argument (`true`, `on`, `1`, `yes`; bare option = true). */
export function defElemBoolean(arg: AstNode | undefined): boolean {
  if (!arg) return true;
  if (arg.Boolean) return arg.Boolean.boolval === true;
  if (arg.Integer) return (arg.Integer.ival ?? 0) !== 0;
  const s = stringValue(arg);
  if (s === undefined) return true;
  return ['true', 'on', '1', 'yes', 't', 'y'].includes(s.toLowerCase());
}

/**
 * The text of a parenthesised clause (`using (...)`, `with check (...)`) in a statement's source,
 * for messages only.
 */
export function clauseText(statementText: string, keyword: 'using' | 'with check'): string | undefined {
  const re = keyword === 'using' ? /\busing\s*\(/i : /\bwith\s+check\s*\(/i;
  const m = re.exec(statementText);
  if (!m) return undefined;
  const open = m.index + m[0].length - 1;
  let depth = 0;
  let quote = 0;
  for (let i = open; i < statementText.length; i++) {
    const c = statementText.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
      continue;
    }
    if (c === 0x27 || c === 0x22) quote = c;
    else if (c === 0x28) depth++;
    else if (c === 0x29) {
      depth--;
      if (depth === 0) return statementText.slice(open, i + 1).replace(/\s+/g, ' ');
    }
  }
  return undefined;
}
