import { FormatError } from "../format-error.js";
import { decodeName } from "./decode-name.js";
import { applyZip64Extra } from "./extra-fields.js";
import { u16, u32 } from "./little-endian.js";
import { CENTRAL_HEADER_SIGNATURE, CENTRAL_HEADER_SIZE } from "./signatures.js";
import type { ZipLimits } from "./types.js";

/** One central directory file header (APPNOTE 4.3.12), with zip64 values applied. */
export interface CentralRecord {
  readonly index: number;
  /** Absolute offset of this header. */
  readonly offset: number;
  readonly nameBytes: Uint8Array;
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Relative to the start of the archive, as recorded. */
  readonly localHeaderOffset: number;
  readonly commentLength: number;
}

/**
 * Parses `count` headers from the central directory bytes. Like miniz, the count from the end
 * record decides how many entries exist; `consumed` lets the caller report unused slack (Python's
 * zipfile instead reads until the size is used up, so slack may hide entries from miniz).
 */
export function parseCentralDirectory(
  bytes: Uint8Array,
  base: number,
  count: number,
  limits: ZipLimits,
): { records: CentralRecord[]; consumed: number } {
  const records: CentralRecord[] = [];
  let pos = 0;
  for (let index = 0; index < count; index++) {
    const offset = base + pos;
    if (pos + CENTRAL_HEADER_SIZE > bytes.length) {
      throw new FormatError(
        "TRUNCATED",
        `Cannot read central directory entry "${index}": directory ends`,
        offset,
      );
    }
    if (u32(bytes, pos) !== CENTRAL_HEADER_SIGNATURE) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read central directory entry "${index}": bad signature`,
        offset,
      );
    }
    const flags = u16(bytes, pos + 8);
    const nameLength = u16(bytes, pos + 28);
    const extraLength = u16(bytes, pos + 30);
    const commentLength = u16(bytes, pos + 32);
    if (nameLength > limits.maxNameLength) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read central directory entry "${index}": name has "${nameLength}" bytes`,
        offset,
      );
    }
    const nameStart = pos + CENTRAL_HEADER_SIZE;
    const next = nameStart + nameLength + extraLength + commentLength;
    if (next > bytes.length) {
      throw new FormatError(
        "TRUNCATED",
        `Cannot read central directory entry "${index}": variable fields run past the directory`,
        offset,
      );
    }
    const nameBytes = bytes.subarray(nameStart, nameStart + nameLength);
    const extra = bytes.subarray(nameStart + nameLength, nameStart + nameLength + extraLength);
    const sizes = applyZip64Extra(
      {
        compressedSize: u32(bytes, pos + 20),
        uncompressedSize: u32(bytes, pos + 24),
        localHeaderOffset: u32(bytes, pos + 42),
      },
      u16(bytes, pos + 34),
      extra,
      offset,
    );
    records.push({
      index,
      offset,
      nameBytes,
      name: decodeName(nameBytes, flags),
      flags,
      method: u16(bytes, pos + 10),
      crc32: u32(bytes, pos + 16),
      ...sizes,
      commentLength,
    });
    pos = next;
  }
  return { records, consumed: pos };
}
