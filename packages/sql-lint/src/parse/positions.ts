/** A position in a text: 1-based line, 1-based column in UTF-16 code units. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Maps the parser's offsets to line/column. libpg-query reports statement and node locations as
 * UTF-8 byte offsets and syntax error cursors as code-point offsets; JavaScript strings index
 * UTF-16 code units. All three are the same for ASCII text.
 */
export class TextMap {
  private readonly lineStarts: number[] = [0];
  /** UTF-8 byte offset of each line start; built on first use, and only for non-ASCII text. */
  private lineByteStarts: number[] | undefined;
  private codePointToUnit: Uint32Array | undefined;
  private readonly ascii: boolean;
  private readonly astral: boolean;

  constructor(readonly text: string) {
    const starts = this.lineStarts;
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      }
    }
    this.ascii = !/[^\x00-\x7f]/.test(text);
    this.astral = !this.ascii && /[\ud800-\udfff]/.test(text);
  }

  /** UTF-16 index of a UTF-8 byte offset (of the character that byte belongs to). */
  unitOfByte(byte: number): number {
    const text = this.text;
    if (this.ascii) return Math.min(byte, text.length);
    const byteStarts = (this.lineByteStarts ??= lineByteStarts(text, this.lineStarts));
    const target = Math.max(0, byte);
    // The line the byte is on, then walk that line's characters.
    let lo = 0;
    let hi = byteStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (byteStarts[mid] <= target) lo = mid;
      else hi = mid - 1;
    }
    let b = byteStarts[lo];
    let i = this.lineStarts[lo];
    while (i < text.length) {
      const c = text.charCodeAt(i);
      let n: number;
      let units = 1;
      if (c < 0x80) n = 1;
      else if (c < 0x800) n = 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
        n = 4;
        units = 2;
      } else n = 3;
      if (b + n > target) return i;
      b += n;
      i += units;
    }
    return text.length;
  }

  /** UTF-16 index of a code-point offset. */
  unitOfCodePoint(cp: number): number {
    if (!this.astral) return Math.min(cp, this.text.length);
    if (!this.codePointToUnit) {
      const map: number[] = [];
      for (let i = 0; i < this.text.length; i++) {
        map.push(i);
        const c = this.text.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < this.text.length) i++;
      }
      map.push(this.text.length);
      this.codePointToUnit = Uint32Array.from(map);
    }
    return this.codePointToUnit[Math.max(0, Math.min(cp, this.codePointToUnit.length - 1))];
  }

  /** Line/column of a UTF-16 index. */
  position(unit: number): Position {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= unit) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: unit - starts[lo] + 1 };
  }

  positionOfByte(byte: number): Position {
    return this.position(this.unitOfByte(byte));
  }
}

/** UTF-8 byte offset of each line start (line starts given in UTF-16 units). */
function lineByteStarts(text: string, lineStarts: number[]): number[] {
  const out = new Array<number>(lineStarts.length);
  out[0] = 0;
  let b = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    while (line < lineStarts.length && lineStarts[line] === i) out[line++] = b;
    const c = text.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      b += 4;
      i++;
    } else b += 3;
  }
  while (line < lineStarts.length) out[line++] = b;
  return out;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
