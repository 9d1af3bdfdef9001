import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";

/** Bytes fetched from the source at a time, so small fields cost no read each. */
const WINDOW_BYTES = 64 * 1024;

/**
 * A forward-only little-endian reader over a ByteSource that refuses to go past `limit` (the
 * bound on the metadata region), so a hostile count can never make it read the whole file.
 */
export class GgufCursor {
  readonly #source: ByteSource;
  readonly #limit: number;
  #window: Uint8Array = new Uint8Array(0);
  #windowStart = 0;
  position = 0;

  constructor(source: ByteSource, limit: number) {
    this.#source = source;
    this.#limit = Math.min(limit, source.size);
  }

  async bytes(length: number, what: string): Promise<Uint8Array> {
    const end = this.position + length;
    if (end > this.#source.size) {
      throw new FormatError(
        "TRUNCATED",
        `Cannot read GGUF ${what}: ${length} bytes at ${this.position} run past the input`,
        this.position,
      );
    }
    if (end > this.#limit) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read GGUF ${what}: metadata runs past the ${this.#limit}-byte bound`,
        this.position,
      );
    }
    const inWindow = this.position - this.#windowStart;
    if (inWindow < 0 || end > this.#windowStart + this.#window.length) {
      const take = Math.min(Math.max(length, WINDOW_BYTES), this.#limit - this.position);
      this.#window = await this.#source.read(this.position, take);
      this.#windowStart = this.position;
    }
    const from = this.position - this.#windowStart;
    this.position = end;
    return this.#window.subarray(from, from + length);
  }

  async view(length: number, what: string): Promise<DataView> {
    const b = await this.bytes(length, what);
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  async u32(what: string): Promise<number> {
    return (await this.view(4, what)).getUint32(0, true);
  }

  async u64(what: string): Promise<bigint> {
    return (await this.view(8, what)).getBigUint64(0, true);
  }
}
