import type { MigrationFile } from '../types.js';
import { parseSql, scanSql, SqlParseError } from './parser.js';
import { lexComments } from './comments.js';
import { TextMap } from './positions.js';

/** A parsed AST node: `{ KindName: { ...fields } }` as libpg-query returns it. */
// The AST is large and dynamically shaped; rules read it through the helpers in `ast.ts`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = Record<string, any>;

/** Where something is in a migration file. Lines and columns are 1-based (columns in UTF-16 units). */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** One top-level statement of a migration file. */
export interface Statement extends SourceRef {
  /** Position of the file in the sorted history. */
  fileIndex: number;
  /** Position of the statement in its file. */
  index: number;
  /** Node kind, e.g. `CreateStmt`, `CreatePolicyStmt`. */
  kind: string;
  /** The statement node's fields (the value under `kind`). */
  node: AstNode;
  /** Source text of the statement, without the trailing `;`. */
  text: string;
  /** UTF-16 range of the statement in the file. */
  start: number;
  end: number;
  /** Set for statements found inside a `DO` block: the block's own statement. */
  insideDo?: Statement;
}

export interface SqlComment {
  text: string;
  start: number;
  end: number;
}

export interface SyntaxErrorInfo {
  message: string;
  line: number;
  column: number;
  offset: number;
}

export interface ParsedFile {
  file: MigrationFile;
  fileIndex: number;
  map: TextMap;
  statements: Statement[];
  syntaxError?: SyntaxErrorInfo;
  /** Comments of the file that mention `supagate-` (the only ones anybody needs). */
  comments: SqlComment[];
}

interface RawStmt {
  stmt?: AstNode;
  stmt_location?: number;
  stmt_len?: number;
}

/** Parses a migration file into statements. A syntax error keeps the statements before it. */
export function parseMigrationFile(file: MigrationFile, fileIndex: number): ParsedFile {
  // Editors on Windows save a byte-order mark; the Supabase CLI and psql treat the file as text,
  // so read it as whitespace (same UTF-16 length, so columns do not move).
  const text = file.text.replace(/^\uFEFF/, ' ');
  const map = new TextMap(text);
  let raw: RawStmt[] = [];
  let syntaxError: SyntaxErrorInfo | undefined;
  let parsedUpTo = text.length;
  try {
    raw = (parseSql(text).stmts ?? []) as RawStmt[];
  } catch (error) {
    if (!(error instanceof SqlParseError)) throw error;
    const offset = map.unitOfCodePoint(error.cursorCodePoint);
    syntaxError = { message: error.message, offset, ...map.position(offset) };
    const prefix = parsePrefix(text, map, offset);
    raw = prefix.stmts;
    parsedUpTo = prefix.length;
  }
  const statements: Statement[] = [];
  for (const r of raw) {
    if (!r.stmt) continue;
    const kind = Object.keys(r.stmt)[0];
    let start = map.unitOfByte(r.stmt_location ?? 0);
    const end = r.stmt_len ? map.unitOfByte((r.stmt_location ?? 0) + r.stmt_len) : parsedUpTo;
    while (start < end && /\s/.test(text[start])) start++;
    statements.push(makeStatement(file.path, fileIndex, statements.length, kind, r.stmt[kind] ?? {}, text, map, start, end));
  }
  return { file, fileIndex, map, statements, syntaxError, comments: findComments(text, map, syntaxError) };
}

export function makeStatement(
  path: string,
  fileIndex: number,
  index: number,
  kind: string,
  node: AstNode,
  text: string,
  map: TextMap,
  start: number,
  end: number,
): Statement {
  let trimmedEnd = end;
  while (trimmedEnd > start && /\s/.test(text[trimmedEnd - 1])) trimmedEnd--;
  const from = map.position(start);
  const to = map.position(trimmedEnd);
  return {
    file: path,
    fileIndex,
    index,
    kind,
    node,
    text: text.slice(start, trimmedEnd),
    start,
    end: trimmedEnd,
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
  };
}

/**
 * The statements before a syntax error: re-parse the text up to the last `;` token before the
 * error. A `;` inside a statement (a `BEGIN ATOMIC` body) makes that prefix fail too; then step
 * back to the previous `;`.
 */
function parsePrefix(text: string, map: TextMap, errorOffset: number): { stmts: RawStmt[]; length: number } {
  let limit = errorOffset;
  for (let attempt = 0; attempt < 100 && limit > 0; attempt++) {
    let tokens;
    try {
      tokens = scanSql(text.slice(0, limit)).tokens;
    } catch {
      return { stmts: [], length: 0 };
    }
    let semi = -1;
    for (let i = tokens.length - 1; i >= 0; i--) {
      if (tokens[i].text === ';') {
        semi = i;
        break;
      }
    }
    if (semi < 0) return { stmts: [], length: 0 };
    const cut = map.unitOfByte(tokens[semi].end);
    try {
      return { stmts: (parseSql(text.slice(0, cut)).stmts ?? []) as RawStmt[], length: cut };
    } catch (error) {
      if (!(error instanceof SqlParseError)) throw error;
      limit = Math.min(map.unitOfCodePoint(error.cursorCodePoint), cut - 1);
    }
  }
  return { stmts: [], length: 0 };
}

/**
 * Comments that mention `supagate-`; string contents never count. Text the parser accepted is
 * lexed here (see `lexComments`), anything else by the Postgres scanner, which also stops where
 * Postgres does on a lexical error.
 */
function findComments(text: string, map: TextMap, syntaxError: SyntaxErrorInfo | undefined): SqlComment[] {
  if (!text.includes('supagate-')) return [];
  const spans = syntaxError ? undefined : lexComments(text);
  if (spans) {
    const comments: SqlComment[] = [];
    for (const { start, end } of spans) {
      const comment = text.slice(start, end);
      if (comment.includes('supagate-')) comments.push({ text: comment, start, end });
    }
    return comments;
  }
  return scanComments(text, map, syntaxError);
}

/** `findComments` with libpg-query's scanner. */
function scanComments(text: string, map: TextMap, syntaxError: SyntaxErrorInfo | undefined): SqlComment[] {
  let scanned = text;
  let tokens;
  try {
    tokens = scanSql(scanned).tokens;
  } catch {
    scanned = text.slice(0, syntaxError?.offset ?? 0);
    try {
      tokens = scanSql(scanned).tokens;
    } catch {
      return [];
    }
  }
  const comments: SqlComment[] = [];
  for (const t of tokens) {
    if ((t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') && t.text.includes('supagate-')) {
      comments.push({ text: t.text, start: map.unitOfByte(t.start), end: map.unitOfByte(t.end) });
    }
  }
  return comments;
}
