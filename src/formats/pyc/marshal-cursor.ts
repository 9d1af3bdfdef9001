import { FormatError } from "../format-error.js";
import { decodeUtf8SurrogatePass } from "./utf8-surrogatepass.js";

/** Sequential little-endian reads over marshal data that never run past the input. */
export class MarshalCursor {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #offset: number;

  constructor(bytes: Uint8Array, offset: number) {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) {
      throw new FormatError("MALFORMED", `Cannot read marshal data: offset "${offset}" is invalid`);
    }
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#offset = offset;
  }

  get offset(): number {
    return this.#offset;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  #need(length: number, what: string): void {
    if (length > this.remaining) {
      throw new FormatError(
        "TRUNCATED",
        `Cannot read ${what}: needs ${length} bytes, ${this.remaining} left`,
        this.#offset,
      );
    }
  }

  u8(what: string): number {
    this.#need(1, what);
    return this.#bytes[this.#offset++]!;
  }

  i32(what: string): number {
    this.#need(4, what);
    const value = this.#view.getInt32(this.#offset, true);
    this.#offset += 4;
    return value;
  }

  i64(what: string): bigint {
    this.#need(8, what);
    const value = this.#view.getBigInt64(this.#offset, true);
    this.#offset += 8;
    return value;
  }

  f64(what: string): number {
    this.#need(8, what);
    const value = this.#view.getFloat64(this.#offset, true);
    this.#offset += 8;
    return value;
  }

  u16(what: string): number {
    this.#need(2, what);
    const value = this.#view.getUint16(this.#offset, true);
    this.#offset += 2;
    return value;
  }

  /** A copy of the next `length` bytes. */
  bytes(length: number, what: string): Uint8Array {
    this.#need(length, what);
    const out = this.#bytes.slice(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  /** A signed 32-bit count that must be non-negative and fit what is left, `unit` bytes each. */
  count(what: string, unit: number): number {
    const at = this.#offset;
    const n = this.i32(`${what} size`);
    if (n < 0) {
      throw new FormatError("MALFORMED", `Cannot read ${what}: size "${n}" is negative`, at);
    }
    if (n * unit > this.remaining) {
      throw new FormatError(
        "TRUNCATED",
        `Cannot read ${what}: size "${n}" is past the end of the input`,
        at,
      );
    }
    return n;
  }

  /** `length` bytes that must be ASCII, as a string. */
  ascii(length: number, what: string): string {
    const at = this.#offset;
    const raw = this.bytes(length, what);
    let out = "";
    for (const byte of raw) {
      if (byte >= 0x80) {
        throw new FormatError("MALFORMED", `Cannot read ${what}: byte "${byte}" is not ASCII`, at);
      }
      out += String.fromCharCode(byte);
    }
    return out;
  }

  /** `length` bytes of UTF-8 as CPython's marshal writes it (errors "surrogatepass"). */
  utf8(length: number, what: string): string {
    const at = this.#offset;
    const text = decodeUtf8SurrogatePass(this.bytes(length, what));
    if (text === undefined) {
      throw new FormatError("MALFORMED", `Cannot read ${what}: invalid UTF-8`, at);
    }
    return text;
  }
}
