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
  /** The characters wider in UTF-8 than in UTF-16 (built on first use; none in ASCII text). */
  private wide: WideChars | undefined;
  private codePointToUnit: Uint32Array | undefined;
  private readonly ascii: boolean;
  private astral: boolean | undefined;

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
    this.ascii = !NON_ASCII.test(text);
  }

  /** UTF-16 index of a UTF-8 byte offset (of the character that byte belongs to). */
  unitOfByte(byte: number): number {
    const text = this.text;
    if (this.ascii) return Math.min(byte, text.length);
    const wide = (this.wide ??= wideChars(text));
    const target = Math.max(0, byte);
    // The last wide character starting at or before the byte; ASCII (one byte, one unit) around it.
    let lo = 0;
    let hi = wide.unit.length - 1;
    if (hi < 0 || wide.byte[0] > target) return Math.min(target, text.length);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (wide.byte[mid] <= target) lo = mid;
      else hi = mid - 1;
    }
    const unit = wide.unit[lo];
    const after = wide.byte[lo] + wide.bytes[lo];
    if (target < after) return unit;
    return Math.min(unit + wide.units[lo] + (target - after), text.length);
  }

  /** UTF-16 index of a code-point offset. */
  unitOfCodePoint(cp: number): number {
    this.astral ??= !this.ascii && /[\ud800-\udfff]/.test(this.text);
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

const NON_ASCII = /[^\x00-\x7f]/;

/** Non-ASCII characters of a text: UTF-16 index, UTF-8 offset, UTF-8 length, UTF-16 length. */
interface WideChars {
  unit: number[];
  byte: number[];
  bytes: number[];
  units: number[];
}

function wideChars(text: string): WideChars {
  const out: WideChars = { unit: [], byte: [], bytes: [], units: [] };
  const re = /[^\x00-\x7f]/g;
  let extra = 0; // UTF-8 bytes minus UTF-16 units of the characters before
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    let n: number;
    let units = 1;
    if (c < 0x800) n = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLow(text.charCodeAt(i + 1))) {
      n = 4;
      units = 2;
      re.lastIndex = i + 2;
    } else n = 3;
    out.unit.push(i);
    out.byte.push(i + extra);
    out.bytes.push(n);
    out.units.push(units);
    extra += n - units;
  }
  return out;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
