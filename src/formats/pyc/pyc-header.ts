import { FormatError } from "../format-error.js";
import { MAGIC_BYTES, type PythonVersion, versionForMagic } from "./magic.js";

/** PEP 552: magic (4), flags (4), then mtime and size (4 + 4) or a source hash (8). */
export const PYC_HEADER_BYTES = 16;

/** PEP 552 flag bits; CPython rejects a pyc with any other bit set ("invalid flags"). */
const FLAG_HASH_BASED = 0b01;
const FLAG_CHECK_SOURCE = 0b10;
const KNOWN_FLAGS = FLAG_HASH_BASED | FLAG_CHECK_SOURCE;

interface HeaderCommon {
  readonly magic: Uint8Array;
  readonly version: PythonVersion;
  readonly flags: number;
}

/** Valid while the source's mtime (seconds, mod 2^32) and size (mod 2^32) are unchanged. */
export interface TimestampPycHeader extends HeaderCommon {
  readonly kind: "timestamp";
  readonly sourceMtime: number;
  readonly sourceSize: number;
}

/** Valid while the source hashes to `sourceHash`; `checkSource` false means never compared. */
export interface HashPycHeader extends HeaderCommon {
  readonly kind: "hash";
  readonly checkSource: boolean;
  readonly sourceHash: Uint8Array;
}

export type PycHeader = TimestampPycHeader | HashPycHeader;

/** Reads the 16-byte header at the start of a `.pyc` file (Python 3.7 and later). */
export function readPycHeader(bytes: Uint8Array): PycHeader {
  if (bytes.length < PYC_HEADER_BYTES) {
    throw new FormatError(
      "TRUNCATED",
      `Cannot read pyc header: input has ${bytes.length} of ${PYC_HEADER_BYTES} bytes`,
      bytes.length,
    );
  }
  const magic = bytes.slice(0, MAGIC_BYTES);
  const version = versionForMagic(magic);
  const view = new DataView(bytes.buffer, bytes.byteOffset, PYC_HEADER_BYTES);
  const flags = view.getUint32(4, true);
  if ((flags & ~KNOWN_FLAGS) !== 0) {
    throw new FormatError("MALFORMED", `Cannot read pyc header: flags "${flags}" are invalid`, 4);
  }
  if ((flags & FLAG_HASH_BASED) === 0) {
    // CPython's _classify_pyc ignores check_source on a timestamp pyc, and so do we.
    return {
      kind: "timestamp",
      magic,
      version,
      flags,
      sourceMtime: view.getUint32(8, true),
      sourceSize: view.getUint32(12, true),
    };
  }
  return {
    kind: "hash",
    magic,
    version,
    flags,
    checkSource: (flags & FLAG_CHECK_SOURCE) !== 0,
    sourceHash: bytes.slice(8, 16),
  };
}
