/**
 * Compression and archive formats recognised by their magic numbers. Checks go past the first
 * bytes where a format allows it, because a weak match (zlib, lzma) would send ordinary data down
 * the wrong path.
 */
export type CompressionKind = "gzip" | "zlib" | "bzip2" | "xz" | "lzma" | "zstd" | "7z";

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/** RFC 1952 2.3.1: ID1 ID2, CM = 8 (deflate); FLG bits 5-7 are reserved and must be zero. */
const GZIP_MAGIC = [0x1f, 0x8b, 0x08] as const;
const GZIP_RESERVED_FLAGS = 0xe0;
/**
 * RFC 1950 2.2: CMF 0x78 is deflate with a 32 KiB window; these are the FLG bytes zlib writes for
 * its four compression levels. Any other FLG with a valid FCHECK is legal but never written, and
 * accepting it would claim one byte pair in 31 of arbitrary data.
 */
const ZLIB_CMF = 0x78;
const ZLIB_FLG = new Set([0x01, 0x5e, 0x9c, 0xda]);
/** bzip2: "BZh", a block size '1'-'9', then a block (pi) or end-of-stream (sqrt pi) magic. */
const BZIP2_MAGIC = [0x42, 0x5a, 0x68] as const;
const BZIP2_BLOCK = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59] as const;
const BZIP2_EOS = [0x17, 0x72, 0x45, 0x38, 0x50, 0x90] as const;
/** .xz file format 1.2.0 section 2.1.1.1. */
const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] as const;
/** RFC 8878 3.1.1 frame magic 0xFD2FB528 (little-endian). */
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;
/** 7z format: "7z\xBC\xAF\x27\x1C". */
const SEVEN_ZIP_MAGIC = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] as const;
/** LZMA "alone" header: properties 0x5D (lc=3 lp=0 pb=2, what every encoder writes by default). */
const LZMA_DEFAULT_PROPERTIES = 0x5d;
const LZMA_HEADER_SIZE = 13;
/** xz-utils' lzma_alone decoder rejects known sizes of 256 GiB or more. */
const LZMA_MAX_KNOWN_SIZE = 2n ** 38n;

function isLzmaAlone(bytes: Uint8Array): boolean {
  if (bytes.length < LZMA_HEADER_SIZE || bytes[0] !== LZMA_DEFAULT_PROPERTIES) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Like xz-utils: the dictionary size must be 2^n or 2^n + 2^(n-1).
  const dict = view.getUint32(1, true);
  let d = dict - 1;
  d |= d >>> 2;
  d |= d >>> 3;
  d |= d >>> 4;
  d |= d >>> 8;
  d |= d >>> 16;
  if ((d + 1) >>> 0 !== dict || dict < 4096) return false;
  const size = view.getBigUint64(5, true);
  return size === 0xffff_ffff_ffff_ffffn || size < LZMA_MAX_KNOWN_SIZE;
}

/** Names the compression or archive format `bytes` (the first 16 or more bytes) start with. */
export function sniffCompression(bytes: Uint8Array): CompressionKind | null {
  if (startsWith(bytes, GZIP_MAGIC) && ((bytes[3] ?? 0xff) & GZIP_RESERVED_FLAGS) === 0)
    return "gzip";
  if (bytes[0] === ZLIB_CMF && ZLIB_FLG.has(bytes[1] ?? -1)) return "zlib";
  if (startsWith(bytes, BZIP2_MAGIC) && (bytes[3] ?? 0) >= 0x31 && (bytes[3] ?? 0) <= 0x39) {
    const rest = bytes.subarray(4, 10);
    if (startsWith(rest, BZIP2_BLOCK) || startsWith(rest, BZIP2_EOS)) return "bzip2";
  }
  if (startsWith(bytes, XZ_MAGIC)) return "xz";
  if (startsWith(bytes, ZSTD_MAGIC)) return "zstd";
  if (startsWith(bytes, SEVEN_ZIP_MAGIC)) return "7z";
  if (isLzmaAlone(bytes)) return "lzma";
  return null;
}
