import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";

/** Bytes fetched from the source at a time. */
const WINDOW_BYTES = 64 * 1024;
/** A varint is at most ten bytes (protobuf encoding guide). */
const MAX_VARINT_BYTES = 10;

/** Protobuf wire types (https://protobuf.dev/programming-guides/encoding/). */
export const WIRE = { varint: 0, i64: 1, len: 2, i32: 5 } as const;

/**
 * A protobuf wire-format reader over a ByteSource. Length-delimited fields it is told to skip
 * (tensor `raw_data`) are stepped over without being read, so a 2 GB model costs only the bytes
 * of its graph structure.
 */
export class WireCursor {
  readonly #source: ByteSource;
  #window: Uint8Array = new Uint8Array(0);
  #windowStart = 0;
  position: number;

  constructor(source: ByteSource, position = 0) {
    this.#source = source;
    this.position = position;
  }

  get size(): number {
    return this.#source.size;
  }

  /** Makes the window hold `length` bytes at the position (fewer at the end of the input). */
  async #ensure(length: number): Promise<void> {
    const want = Math.min(length, this.#source.size - this.position);
    const from = this.position - this.#windowStart;
    if (from >= 0 && from + want <= this.#window.length) return;
    const take = Math.min(Math.max(want, WINDOW_BYTES), this.#source.size - this.position);
    this.#window = await this.#source.read(this.position, take);
    this.#windowStart = this.position;
  }

  async varint(end: number): Promise<bigint> {
    const start = this.position;
    await this.#ensure(MAX_VARINT_BYTES);
    let result = 0n;
    for (let i = 0; i < MAX_VARINT_BYTES; i += 1) {
      if (this.position >= end) {
        throw new FormatError("TRUNCATED", "Cannot read varint: message ends inside it", start);
      }
      const byte = this.#window[this.position - this.#windowStart]!;
      this.position += 1;
      result |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new FormatError("MALFORMED", "Cannot read varint: longer than ten bytes", start);
  }

  /** A length prefix, checked to fit inside the enclosing message. */
  async length(end: number): Promise<number> {
    const at = this.position;
    const length = await this.varint(end);
    if (length > BigInt(end - this.position)) {
      throw new FormatError(
        "TRUNCATED",
        `Cannot read length-delimited field: "${length}" bytes run past the message end ${end}`,
        at,
      );
    }
    return Number(length);
  }

  async bytes(length: number): Promise<Uint8Array> {
    await this.#ensure(length);
    const from = this.position - this.#windowStart;
    this.position += length;
    return this.#window.subarray(from, from + length);
  }

  /** Steps over the value of a field of `wireType`, reading only what says how long it is. */
  async skip(wireType: number, end: number): Promise<void> {
    const at = this.position;
    let length: number;
    if (wireType === WIRE.varint) {
      await this.varint(end);
      return;
    }
    if (wireType === WIRE.i64) length = 8;
    else if (wireType === WIRE.i32) length = 4;
    else if (wireType === WIRE.len) length = await this.length(end);
    else throw new FormatError("MALFORMED", `Cannot skip field: wire type "${wireType}"`, at);
    if (this.position + length > end) {
      throw new FormatError("TRUNCATED", "Cannot skip field: message ends inside it", at);
    }
    this.position += length;
  }
}
