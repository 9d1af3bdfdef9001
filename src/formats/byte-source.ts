import { type FileHandle, open } from "node:fs/promises";
import { FormatError } from "./format-error.js";

/**
 * Random access to the bytes of a file or buffer. Parsers read only the ranges they need, so a
 * multi-gigabyte checkpoint is never loaded whole.
 */
export interface ByteSource {
  readonly size: number;
  /** Reads exactly `length` bytes at `offset`; throws TRUNCATED past the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Total bytes handed out by `read`, for the "bytes read / file size" figure. */
  readonly bytesRead: number;
}

function checkRange(size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new FormatError("MALFORMED", `Cannot read range: offset ${offset} length ${length}`);
  }
  if (offset + length > size) {
    throw new FormatError(
      "TRUNCATED",
      `Cannot read ${length} bytes at offset ${offset}: input has ${size} bytes`,
      offset,
    );
  }
}

export class BufferSource implements ByteSource {
  readonly #bytes: Uint8Array;
  #read = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get size(): number {
    return this.#bytes.length;
  }

  get bytesRead(): number {
    return this.#read;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.#bytes.length, offset, length);
    this.#read += length;
    return this.#bytes.subarray(offset, offset + length);
  }
}

export class FileSource implements ByteSource {
  readonly #handle: FileHandle;
  readonly size: number;
  #read = 0;

  private constructor(handle: FileHandle, size: number) {
    this.#handle = handle;
    this.size = size;
  }

  static async open(path: string): Promise<FileSource> {
    const handle = await open(path, "r");
    try {
      const stat = await handle.stat();
      return new FileSource(handle, stat.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  get bytesRead(): number {
    return this.#read;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.size, offset, length);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.#handle.read(out, done, length - done, offset + done);
      if (bytesRead === 0) {
        throw new FormatError(
          "TRUNCATED",
          `Cannot read file at offset ${offset + done}: it shrank`,
        );
      }
      done += bytesRead;
    }
    this.#read += length;
    return out;
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}
