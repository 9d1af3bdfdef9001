import { constants } from "node:buffer";
import { inflateRawSync } from "node:zlib";
import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { crc32 } from "./crc32.js";
import { METHOD_DEFLATED, METHOD_STORED } from "./signatures.js";
import type { ZipEntry } from "./types.js";

/**
 * Deflate's worst case expansion is 5 bytes per 65535-byte stored block plus a few bytes of
 * framing (RFC 1951 section 3.2.4), so compressed input past this is not plausible for `maxBytes`.
 */
function maxCompressedFor(maxBytes: number): number {
  return maxBytes + Math.ceil(maxBytes / 65535) * 5 + 64;
}

/**
 * Reads one member's bytes: stored, or inflated with the output bounded by the declared size.
 * Like miniz, the output must be exactly `uncompressedSize` bytes; the CRC is only reported,
 * because PyTorch builds miniz with MINIZ_DISABLE_ZIP_READER_CRC32_CHECKS (CVE-2025-10156).
 * Encryption flags are ignored: the scanner sees the raw content and the "encrypted" anomaly.
 */
export async function readZipMember(
  source: ByteSource,
  entry: ZipEntry,
  maxBytes: number,
): Promise<{ bytes: Uint8Array; crcOk: boolean }> {
  const name = entry.name;
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) {
    throw new FormatError(
      "UNSUPPORTED",
      `Cannot read member "${name}": compression method "${entry.method}"`,
    );
  }
  // Node cannot allocate a buffer past MAX_LENGTH (4 GiB on Node 20) whatever the caller allows.
  if (entry.uncompressedSize > maxBytes || entry.uncompressedSize >= constants.MAX_LENGTH) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read member "${name}": "${entry.uncompressedSize}" bytes exceed "${maxBytes}"`,
    );
  }
  let bytes: Uint8Array;
  if (entry.method === METHOD_STORED) {
    if (entry.compressedSize !== entry.uncompressedSize) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read stored member "${name}": sizes "${entry.compressedSize}" and "${entry.uncompressedSize}" differ`,
        entry.dataOffset,
      );
    }
    bytes = await source.read(entry.dataOffset, entry.compressedSize);
  } else {
    if (entry.compressedSize > maxCompressedFor(maxBytes)) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot inflate member "${name}": "${entry.compressedSize}" compressed bytes`,
      );
    }
    const input = await source.read(entry.dataOffset, entry.compressedSize);
    bytes = inflateBounded(input, entry.uncompressedSize, name, entry.dataOffset);
  }
  return { bytes, crcOk: crc32(bytes) === entry.crc32 };
}

function inflateBounded(
  input: Uint8Array,
  expected: number,
  name: string,
  offset: number,
): Uint8Array {
  let output: Uint8Array;
  try {
    // One byte of headroom tells "exactly the declared size" from "more than declared".
    output = inflateRawSync(input, { maxOutputLength: expected + 1 });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") {
      throw new FormatError(
        "MALFORMED",
        `Cannot inflate member "${name}": output exceeds the declared "${expected}" bytes`,
        offset,
        { cause: error },
      );
    }
    if (code === "Z_BUF_ERROR") {
      throw new FormatError(
        "TRUNCATED",
        `Cannot inflate member "${name}": deflate stream ends early`,
        offset,
        { cause: error },
      );
    }
    throw new FormatError(
      "MALFORMED",
      `Cannot inflate member "${name}": invalid deflate data`,
      offset,
      { cause: error },
    );
  }
  if (output.length !== expected) {
    throw new FormatError(
      "MALFORMED",
      `Cannot inflate member "${name}": "${output.length}" bytes, "${expected}" declared`,
      offset,
    );
  }
  return output;
}
