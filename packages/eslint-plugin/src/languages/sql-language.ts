import { TextSourceCodeBase, VisitNodeStep } from '@eslint/plugin-kit';
import { loadSqlParser } from '@supagate/sql-lint';

/*
 * The SQL rules run inside ESLint, whose rules are synchronous, on top of a WASM
 * parser that loads asynchronously. Loading it here, at module evaluation, means
 * that by the time ESLint can call any SQL rule, `lintMigrationsSync` works.
 * (An ES module with top-level await cannot be `require()`d; ESLint imports plugins.)
 */
await loadSqlParser();

/** 1-based line, 1-based column (this language's `columnStart` is 1). */
export interface SqlPosition {
  line: number;
  column: number;
}

export interface SqlSourceLocation {
  start: SqlPosition;
  end: SqlPosition;
}

/**
 * The whole migration file. It is the only node: the SQL itself is parsed and
 * analysed by `@supagate/sql-lint` over the whole migration history (see
 * `migration-history.ts`), not by ESLint's traversal.
 */
export interface SqlDocument {
  type: 'Document';
  loc: SqlSourceLocation;
  range: [number, number];
}

export type SqlNode = SqlDocument;

/** The SQL language accepts no language options; unknown ones are ignored. */
export type SqlLanguageOptions = Record<string, unknown>;

export const SQL_VISITOR_KEYS: Record<string, string[]> = { Document: [] };

/** `\r\n`, `\n` or a lone `\r`, as sql-lint counts lines. */
const LINE_ENDING = /\r\n|[\r\n]/u;

/** Source code of one migration file, on @eslint/plugin-kit's text source code. */
export class SqlSourceCode extends TextSourceCodeBase<{
  LangOptions: SqlLanguageOptions;
  RootNode: SqlDocument;
  SyntaxElementWithLoc: SqlNode;
  ConfigNode: never;
}> {
  readonly visitorKeys = SQL_VISITOR_KEYS;
  #steps: VisitNodeStep[] | undefined;

  constructor({ text, ast }: { text: string; ast: SqlDocument }) {
    super({ text, ast, lineEndingPattern: LINE_ENDING });
  }

  override getParent(): SqlNode | undefined {
    return undefined;
  }

  /** Enter and exit of the single `Document` node. */
  override traverse(): Iterable<VisitNodeStep> {
    this.#steps ??= [
      new VisitNodeStep({ target: this.ast, phase: 1, args: [this.ast, undefined] }),
      new VisitNodeStep({ target: this.ast, phase: 2, args: [this.ast, undefined] }),
    ];
    return this.#steps.values();
  }
}

/** Parse result: always ok, since a syntax error is a finding of the `syntax-error` rule, at its line. */
export interface SqlParseResult {
  ok: true;
  ast: SqlDocument;
}

/** The file ESLint hands to a language (`fileType: 'text'`: `body` is a string without BOM). */
export interface SqlFile {
  path: string;
  physicalPath: string;
  bom: boolean;
  body: string | Uint8Array;
}

/**
 * `language: '@supagate/sql'`: lets ESLint lint `supabase/migrations/*.sql`, the way
 * `@eslint/json` and `@eslint/markdown` add their languages. Lines and columns are
 * 1-based, like sql-lint's, so reports pass its positions through unchanged.
 */
export class SqlLanguage {
  readonly fileType = 'text' as const;
  readonly lineStart = 1 as const;
  readonly columnStart = 1 as const;
  readonly nodeTypeKey = 'type';
  readonly visitorKeys = SQL_VISITOR_KEYS;
  readonly defaultLanguageOptions: SqlLanguageOptions = {};

  validateLanguageOptions(_languageOptions: SqlLanguageOptions): void {
    // No options of its own; options meant for other languages (inherited from a config
    // object without `files`) are harmless here.
  }

  parse(file: SqlFile): SqlParseResult {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    return { ok: true, ast: documentOf(text) };
  }

  createSourceCode(file: SqlFile, input: SqlParseResult): SqlSourceCode {
    const text = typeof file.body === 'string' ? file.body : new TextDecoder().decode(file.body);
    return new SqlSourceCode({ text, ast: input.ast });
  }
}

/** A `Document` node whose loc spans the whole text. */
export function documentOf(text: string): SqlDocument {
  const lines = text.split(LINE_ENDING);
  const last = lines[lines.length - 1] ?? '';
  return {
    type: 'Document',
    loc: { start: { line: 1, column: 1 }, end: { line: lines.length, column: last.length + 1 } },
    range: [0, text.length],
  };
}

export const sqlLanguage = new SqlLanguage();
