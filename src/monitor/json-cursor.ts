/**
 * A strict JSON tokenizer over bytes (RFC 8259), for the fast path of telemetry parsing
 * (parse-step-bytes.ts). It reads one value at a time from `bytes[pos, limit)` and gives up by
 * throwing DECLINED whenever the input is anything it does not handle exactly as JSON.parse
 * would: escapes or non-ASCII bytes in strings it must return, nesting deeper than MAX_DEPTH,
 * and of course invalid JSON. The caller then parses the same text with JSON.parse, which
 * decides (and words the error). Accepting is what must be exact: every value this returns is
 * JSON.parse's value for the same text.
 */

/** Thrown (one shared object, no stack) when the fast path declines the input. */
export const DECLINED: { readonly declined: true } = Object.freeze({ declined: true });

/** Nested values skipped deeper than this decline (JSON.parse has no such limit, ours is the stack). */
export const MAX_DEPTH = 64;

/**
 * Powers of ten that are exact doubles (10^0 … 10^22): an integer mantissa below 2^53 divided by
 * one is correctly rounded, i.e. equal to the decimal's nearest double (Clinger's fast path, as in
 * every strtod), so no string is made for short decimals.
 */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Digits a mantissa may have and stay below 2^53. */
const EXACT_DIGITS = 15;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;

function isDigit(c: number | undefined): c is number {
  return c !== undefined && c >= ZERO && c <= NINE;
}

export class JsonCursor {
  readonly bytes: Buffer;
  pos = 0;
  limit = 0;
  /** The span of the last string read by `key()` or `stringSpan()`: bytes[spanStart, spanEnd). */
  spanStart = 0;
  spanEnd = 0;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  /** Skips JSON whitespace; returns the next byte (undefined at the limit). */
  ws(): number | undefined {
    const b = this.bytes;
    let i = this.pos;
    const limit = this.limit;
    while (i < limit) {
      const c = b[i]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.pos = i;
        return c;
      }
      i++;
    }
    this.pos = i;
    return undefined;
  }

  /** Consumes `c` after whitespace, or declines. */
  expect(c: number): void {
    if (this.ws() !== c) throw DECLINED;
    this.pos++;
  }

  /**
   * A string of printable ASCII without escapes (what digests, run names and keys are), its
   * content's span left in spanStart/spanEnd; anything else declines.
   */
  stringSpan(): void {
    const b = this.bytes;
    let i = this.pos;
    if (b[i] !== QUOTE) throw DECLINED;
    const start = ++i;
    const limit = this.limit;
    for (;;) {
      if (i >= limit) throw DECLINED;
      const c = b[i]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH || c < 0x20 || c >= 0x80) throw DECLINED;
      i++;
    }
    this.spanStart = start;
    this.spanEnd = i;
    this.pos = i + 1;
  }

  /** The string at the cursor (see stringSpan), as a new string not tied to the body. */
  string(): string {
    this.stringSpan();
    return latin1(this.bytes, this.spanStart, this.spanEnd);
  }

  /**
   * As `string()`, but the same string as `cache[slot]` when the bytes are equal (run ids,
   * config digests and keys repeat on every record: no new string for them).
   */
  cachedString(cache: string[], slot: number): string {
    this.stringSpan();
    const previous = cache[slot];
    if (previous !== undefined && this.spanIs(previous)) return previous;
    const value = latin1(this.bytes, this.spanStart, this.spanEnd);
    cache[slot] = value;
    return value;
  }

  /** Whether the last span's bytes are exactly `name` (ASCII). */
  spanIs(name: string): boolean {
    const start = this.spanStart;
    if (this.spanEnd - start !== name.length) return false;
    const b = this.bytes;
    for (let k = 0; k < name.length; k++) if (b[start + k] !== name.charCodeAt(k)) return false;
    return true;
  }

  /** A JSON number (strict grammar) at the cursor. */
  number(): number {
    const b = this.bytes;
    let i = this.pos;
    const start = i;
    let negative = false;
    if (b[i] === MINUS) {
      negative = true;
      i++;
    }
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    let c = b[i];
    if (c === ZERO) c = b[++i];
    else if (isDigit(c) && c !== ZERO) {
      do {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        c = b[++i];
      } while (isDigit(c));
    } else throw DECLINED;
    if (c === DOT) {
      c = b[++i];
      if (!isDigit(c)) throw DECLINED;
      do {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        fraction++;
        c = b[++i];
      } while (isDigit(c));
    }
    let exponent = false;
    if (c === 0x65 || c === 0x45) {
      exponent = true;
      c = b[++i];
      if (c === PLUS || c === MINUS) c = b[++i];
      if (!isDigit(c)) throw DECLINED;
      do c = b[++i];
      while (isDigit(c));
    }
    if (i > this.limit) throw DECLINED;
    this.pos = i;
    if (!exponent && digits <= EXACT_DIGITS && fraction < POW10.length) {
      const value = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
      return negative ? -value : value;
    }
    return Number(latin1(b, start, i));
  }

  /** Consumes the literal `word` (true, false, null) or declines. */
  literal(word: string): void {
    const b = this.bytes;
    const i = this.pos;
    if (i + word.length > this.limit) throw DECLINED;
    for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) throw DECLINED;
    this.pos = i + word.length;
  }

  /** Skips any JSON value, checking it strictly (escapes and UTF-8 bytes allowed here). */
  skip(depth = 0): void {
    const c = this.ws();
    if (c === QUOTE) this.#skipString();
    else if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_DEPTH) throw DECLINED;
      const close = c === 0x7b ? 0x7d : 0x5d;
      this.pos++;
      if (this.ws() === close) {
        this.pos++;
        return;
      }
      for (;;) {
        if (close === 0x7d) {
          if (this.ws() !== QUOTE) throw DECLINED;
          this.#skipString();
          this.expect(0x3a);
        }
        this.skip(depth + 1);
        const next = this.ws();
        this.pos++;
        if (next === close) return;
        if (next !== 0x2c) throw DECLINED;
      }
    } else if (c === MINUS || isDigit(c)) this.number();
    else if (c === 0x74) this.literal("true");
    else if (c === 0x66) this.literal("false");
    else if (c === 0x6e) this.literal("null");
    else throw DECLINED;
  }

  #skipString(): void {
    const b = this.bytes;
    let i = this.pos + 1;
    const limit = this.limit;
    for (;;) {
      if (i >= limit) throw DECLINED;
      const c = b[i]!;
      if (c === QUOTE) break;
      if (c < 0x20) throw DECLINED;
      if (c === BACKSLASH) {
        const e = b[i + 1];
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(b[i + k])) throw DECLINED;
          i += 6;
          continue;
        }
        // " \ / b f n r t
        if (
          e !== QUOTE &&
          e !== BACKSLASH &&
          e !== 0x2f &&
          e !== 0x62 &&
          e !== 0x66 &&
          e !== 0x6e &&
          e !== 0x72 &&
          e !== 0x74
        ) {
          throw DECLINED;
        }
        i += 2;
        continue;
      }
      i++;
    }
    this.pos = i + 1;
  }
}

/** Buffer's own latin1Slice: what toString("latin1", …) calls after checking its arguments. */
interface Latin1Buffer extends Buffer {
  latin1Slice(start: number, end: number): string;
}

const HAS_LATIN1_SLICE =
  typeof (Buffer.prototype as Partial<Latin1Buffer>).latin1Slice === "function";

/** About 20 ns less per string than toString("latin1", …); toString where a runtime lacks it. */
function latin1(bytes: Buffer, start: number, end: number): string {
  return HAS_LATIN1_SLICE
    ? (bytes as Latin1Buffer).latin1Slice(start, end)
    : bytes.toString("latin1", start, end);
}

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined &&
    ((c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
  );
}
