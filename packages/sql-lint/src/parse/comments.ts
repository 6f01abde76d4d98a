/** A comment's UTF-16 range in a SQL text: `--` up to (not including) the line end, or a whole `/* … *\/`. */
export interface CommentSpan {
  start: number;
  end: number;
}

/**
 * The comments of a SQL text, found the way libpg-query's scanner (`scanSync`) finds them, without
 * running it: the scanner tokenises the whole file (and builds JSON for every token) only for us
 * to keep a comment or two. What decides whether `--` or `/*` starts a comment is only what is
 * *not* code: string constants (`'…'` with `''`, `E'…'` with backslash escapes, `B'…'`, `X'…'`,
 * `N'…'`, `U&'…'`, and the continuation of a string on a following line), quoted identifiers
 * (`"…"`, `U&"…"`), dollar quotes (`$$…$$`, `$tag$…$tag$`) and nested block comments.
 *
 * Returns undefined when the text does not lex (an unterminated comment, string, quoted
 * identifier or dollar quote, or a NUL character, where the C scanner would stop): the caller
 * then asks the real scanner. Other lexical errors of Postgres (`1abc`, `E'\u12'`, `""`) are not
 * detected here: use this only on text the parser accepted.
 */
export function lexComments(text: string): CommentSpan[] | undefined {
  if (text.includes('\0')) return undefined;
  const n = text.length;
  const out: CommentSpan[] = [];
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === DASH) {
      if (text.charCodeAt(i + 1) === DASH) {
        let j = i + 2;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === LF || d === CR) break;
          j++;
        }
        out.push({ start: i, end: j });
        i = j;
      } else i++;
    } else if (c === SLASH) {
      if (text.charCodeAt(i + 1) === STAR) {
        const end = blockCommentEnd(text, i + 2);
        if (end < 0) return undefined;
        out.push({ start: i, end });
        i = end;
      } else i++;
    } else if (c === QUOTE) {
      i = stringEnd(text, i + 1, false);
      if (i < 0) return undefined;
    } else if (c === DQUOTE) {
      i = identifierEnd(text, i + 1);
      if (i < 0) return undefined;
    } else if (c === DOLLAR) {
      i = dollarEnd(text, i);
      if (i < 0) return undefined;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentCont(text.charCodeAt(j))) j++;
      if (j === i + 1) {
        // One letter before a quote: E'…', B'…', X'…', N'…'; `U&` before a quote: U&'…', U&"…".
        const next = text.charCodeAt(j);
        if (next === QUOTE && PREFIXES.includes(c)) {
          i = stringEnd(text, j + 1, c === 0x45 || c === 0x65);
          if (i < 0) return undefined;
          continue;
        }
        if (next === AMP && (c === 0x55 || c === 0x75)) {
          const q = text.charCodeAt(j + 1);
          if (q === QUOTE || q === DQUOTE) {
            i = q === QUOTE ? stringEnd(text, j + 2, false) : identifierEnd(text, j + 2);
            if (i < 0) return undefined;
            continue;
          }
        }
      }
      i = j;
    } else if (c >= 0x30 && c <= 0x39) {
      // A number (`12`, `0x1f`, `1e5`, `1_000`): letters may follow digits, `$` may not (`1$a$` is 1, then a dollar quote).
      let j = i + 1;
      while (j < n && isNumberCont(text.charCodeAt(j))) j++;
      i = j;
    } else i++;
  }
  return out;
}

const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const QUOTE = 0x27;
const DQUOTE = 0x22;
const DOLLAR = 0x24;
const BACKSLASH = 0x5c;
const AMP = 0x26;
const LF = 0x0a;
const CR = 0x0d;
/** e E b B x X n N */
const PREFIXES = [0x65, 0x45, 0x62, 0x42, 0x78, 0x58, 0x6e, 0x4e];

/** `[A-Za-z\x80-]_` (every byte of a non-ASCII UTF-8 character counts as a letter for Postgres). */
function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isIdentCont(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39) || c === DOLLAR;
}

function isNumberCont(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

/** Dollar-quote tags are identifiers without `$`. */
function isTagCont(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

/** Space that may separate a string from its continuation on the same line: `[ \t\f\v]`. */
function isLineSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0c || c === 0x0b;
}

/** `from` is just after `/*`; returns the offset after the matching `*\/` (comments nest), or -1. */
function blockCommentEnd(text: string, from: number): number {
  const n = text.length;
  let depth = 0;
  let j = from;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === SLASH && text.charCodeAt(j + 1) === STAR) {
      depth++;
      j += 2;
    } else if (d === STAR) {
      let k = j + 1;
      while (k < n && text.charCodeAt(k) === STAR) k++;
      if (text.charCodeAt(k) === SLASH) {
        if (depth === 0) return k + 1;
        depth--;
        j = k + 1;
      } else j = k;
    } else j++;
  }
  return -1;
}

/**
 * `from` is just after the opening quote; returns the offset after the closing one, or -1. A string
 * continues after its closing quote when only whitespace with a line break separates it from
 * another quote (`'a'\n'b'` is one constant `ab`; libpg-query does not let a comment in between).
 */
function stringEnd(text: string, from: number, backslashEscapes: boolean): number {
  const n = text.length;
  let j = from;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === BACKSLASH && backslashEscapes) {
      j += 2;
      continue;
    }
    if (d !== QUOTE) {
      j++;
      continue;
    }
    if (text.charCodeAt(j + 1) === QUOTE) {
      j += 2;
      continue;
    }
    let k = j + 1;
    while (k < n && isLineSpace(text.charCodeAt(k))) k++;
    const nl = text.charCodeAt(k);
    if (nl === LF || nl === CR) {
      k++;
      while (k < n && (isLineSpace(text.charCodeAt(k)) || text.charCodeAt(k) === LF || text.charCodeAt(k) === CR)) k++;
      if (text.charCodeAt(k) === QUOTE) {
        j = k + 1;
        continue;
      }
    }
    return j + 1;
  }
  return -1;
}

/** `from` is just after the opening `"`; `""` is an escaped quote. Returns the offset after the closing `"`, or -1. */
function identifierEnd(text: string, from: number): number {
  const n = text.length;
  let j = from;
  while (j < n) {
    if (text.charCodeAt(j) !== DQUOTE) {
      j++;
      continue;
    }
    if (text.charCodeAt(j + 1) === DQUOTE) {
      j += 2;
      continue;
    }
    return j + 1;
  }
  return -1;
}

/** At a `$`: the offset after a dollar-quoted string that starts here, the next offset when none does, or -1 when it does not end. */
function dollarEnd(text: string, at: number): number {
  const n = text.length;
  let j = at + 1;
  if (j < n && isIdentStart(text.charCodeAt(j))) {
    j++;
    while (j < n && isTagCont(text.charCodeAt(j))) j++;
  }
  if (text.charCodeAt(j) !== DOLLAR) return at + 1; // `$1`, or `$name` with no closing `$`: not a quote
  const tag = text.slice(at, j + 1);
  const end = text.indexOf(tag, j + 1);
  return end < 0 ? -1 : end + tag.length;
}
