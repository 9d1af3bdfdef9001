/**
 * Reads opcode arguments from one in-memory pickle stream. Every length is checked against the
 * bytes that remain before it is used: the stream is attacker-controlled.
 */
import { FormatError } from "../format-error.js";

/** A text argument line may not be longer than this (CPython has no limit; names are short). */
export const MAX_LINE_BYTES = 1 << 20;

export class StreamReader {
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  pos: number;

  constructor(bytes: Uint8Array, start: number) {
    this.bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  #need(n: number, what: string): void {
    if (n > this.remaining) {
      throw new FormatError(
        "TRUNCATED",
        `Cannot read ${what}: needs ${n} bytes, ${this.remaining} remain`,
        this.pos,
      );
    }
  }

  u1(): number {
    this.#need(1, "1-byte argument");
    return this.bytes[this.pos++] as number;
  }

  u2(): number {
    this.#need(2, "2-byte argument");
    const v = this.#view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  i4(): number {
    this.#need(4, "4-byte argument");
    const v = this.#view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u4(): number {
    this.#need(4, "4-byte argument");
    const v = this.#view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** An 8-byte length; anything past 2^53 cannot fit in memory and is truncated by definition. */
  u8(): number {
    this.#need(8, "8-byte argument");
    const v = this.#view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError("LIMIT_EXCEEDED", `Cannot use 8-byte length '${v}'`, this.pos - 8);
    }
    return Number(v);
  }

  /** BINFLOAT is a big-endian IEEE 754 double (pickle.py: `unpack('>d', ...)`). */
  f8(): number {
    this.#need(8, "float argument");
    const v = this.#view.getFloat64(this.pos, false);
    this.pos += 8;
    return v;
  }

  take(n: number, what: string): Uint8Array {
    if (n < 0) throw new FormatError("MALFORMED", `Cannot read ${what}: negative length`, this.pos);
    this.#need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A newline-terminated argument, without the newline. */
  line(): Uint8Array {
    const limit = Math.min(this.bytes.length, this.pos + MAX_LINE_BYTES);
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0 || end >= limit) {
      if (end < 0 && limit === this.bytes.length) {
        throw new FormatError("TRUNCATED", "Cannot read text argument: no newline", this.pos);
      }
      throw new FormatError("LIMIT_EXCEEDED", "Cannot read text argument: line too long", this.pos);
    }
    const out = this.bytes.subarray(this.pos, end);
    this.pos = end + 1;
    return out;
  }

  /** Little-endian two's-complement integer of LONG1/LONG4. */
  long(n: number): bigint {
    const raw = this.take(n, "long argument");
    let v = 0n;
    for (let i = raw.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i] as number);
    if (n > 0 && ((raw[n - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * n);
    return v;
  }
}
