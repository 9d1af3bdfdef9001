/**
 * TFRecord framing, as TensorBoard event files use it
 * (tensorboard/summary/writer/record_writer.py), little-endian:
 *
 *     uint64 length | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)
 *
 * Read from a file handle through a window, so a file of any size costs one window plus the
 * largest record allowed. Both checksums are verified before a record is handed out.
 */
import type { FileHandle } from "node:fs/promises";
import { TelemetryError } from "../telemetry-error.js";
import { maskedCrc32c } from "./crc32c.js";

const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;
const WINDOW_BYTES = 64 * 1024;

export type FramedRecord =
  | { readonly offset: number; readonly data: Uint8Array }
  /** A record longer than allowed: its length checksum held, so it is stepped over unread. */
  | { readonly offset: number; readonly skippedLength: number };

function broken(offset: number, state: string): never {
  throw new TelemetryError(
    "MALFORMED",
    `Cannot read TensorBoard record at byte ${offset}: ${state}`,
  );
}

/** Positional reads through a window of the file. */
class FileWindow {
  readonly #handle: FileHandle;
  #window = new Uint8Array(0);
  #start = 0;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  /** `length` bytes at `position`; the caller has checked they lie inside the file. */
  async read(position: number, length: number, size: number): Promise<Uint8Array> {
    const from = position - this.#start;
    if (from >= 0 && from + length <= this.#window.length) {
      return this.#window.subarray(from, from + length);
    }
    const take = Math.min(Math.max(length, WINDOW_BYTES), size - position);
    const buffer = new Uint8Array(take);
    const { bytesRead } = await this.#handle.read(buffer, 0, take, position);
    if (bytesRead < length) broken(position, "the file ended while being read");
    this.#window = buffer.subarray(0, bytesRead);
    this.#start = position;
    return this.#window.subarray(0, length);
  }
}

function u32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, true);
}

/**
 * Yields the records of a `size`-byte file in order. Throws TelemetryError MALFORMED, naming the
 * byte offset, at the first checksum mismatch or truncation: what follows cannot be framed.
 */
export async function* readFramedRecords(
  handle: FileHandle,
  size: number,
  maxRecordBytes: number,
): AsyncGenerator<FramedRecord> {
  const window = new FileWindow(handle);
  let offset = 0;
  while (offset < size) {
    const left = size - offset;
    if (left < HEADER_BYTES + FOOTER_BYTES) {
      broken(offset, `${left} bytes left, a record takes at least ${HEADER_BYTES + FOOTER_BYTES}`);
    }
    const header = await window.read(offset, HEADER_BYTES, size);
    const lengthBytes = header.subarray(0, 8);
    if (maskedCrc32c(lengthBytes) !== u32(header, 8)) broken(offset, "length checksum mismatch");
    const length = new DataView(header.buffer, header.byteOffset, 8).getBigUint64(0, true);
    if (length > BigInt(left - HEADER_BYTES - FOOTER_BYTES)) {
      broken(offset, `length "${length}" runs past the end of the file (${left} bytes left)`);
    }
    const dataLength = Number(length);
    const next = offset + HEADER_BYTES + dataLength + FOOTER_BYTES;
    if (dataLength > maxRecordBytes) {
      yield { offset, skippedLength: dataLength };
      offset = next;
      continue;
    }
    const body = await window.read(offset + HEADER_BYTES, dataLength + FOOTER_BYTES, size);
    const data = body.subarray(0, dataLength);
    if (maskedCrc32c(data) !== u32(body, dataLength)) broken(offset, "data checksum mismatch");
    yield { offset, data };
    offset = next;
  }
}

/** True when `head` starts with a TFRecord header whose length checksum holds. */
export function looksLikeTfRecord(head: Uint8Array): boolean {
  if (head.length < HEADER_BYTES) return false;
  return maskedCrc32c(head.subarray(0, 8)) === u32(head, 8);
}
