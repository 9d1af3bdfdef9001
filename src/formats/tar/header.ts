import { FormatError } from "../format-error.js";

/**
 * One 512-byte tar header block (POSIX.1-2017 pax, "ustar Interchange Format"), with the GNU
 * extensions Python's tarfile reads: base-256 numbers, 'L'/'K' long names.
 */
export const BLOCK_SIZE = 512;
/** ustar field offsets and lengths. */
const NAME = [0, 100] as const;
const SIZE = [124, 12] as const;
const CHECKSUM = [148, 8] as const;
const TYPEFLAG = 156;
const LINKNAME = [157, 100] as const;
const MAGIC = [257, 6] as const;
const PREFIX = [345, 155] as const;
/** GNU base-256: a leading 0x80 (positive) or 0xff (negative) byte instead of octal digits. */
const BASE256_POSITIVE = 0x80;
const BASE256_NEGATIVE = 0xff;
/** The checksum is computed with its own 8 bytes taken as spaces. */
const SPACE = 0x20;

export interface RawHeader {
  readonly name: string;
  readonly size: number;
  readonly typeflag: string;
  readonly linkName: string;
  readonly prefix: string;
  readonly ustar: boolean;
  readonly signedChecksum: boolean;
}

const UTF8 = new TextDecoder("utf-8", { fatal: false });

/** A NUL-terminated string field (tarfile's `nts`). */
export function cString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return UTF8.decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

const field = (block: Uint8Array, [at, length]: readonly [number, number]): Uint8Array =>
  block.subarray(at, at + length);

/** A numeric field: octal digits (NUL/space padded) or GNU base-256, like tarfile's `nti`. */
export function parseNumber(bytes: Uint8Array, what: string, offset: number): number {
  const lead = bytes[0];
  if (lead === BASE256_POSITIVE || lead === BASE256_NEGATIVE) {
    if (lead === BASE256_NEGATIVE)
      throw new FormatError("MALFORMED", `Cannot read tar ${what}: negative`, offset);
    let value = 0n;
    for (const byte of bytes.subarray(1)) value = (value << 8n) | BigInt(byte);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read tar ${what}: "${value}" is too large`,
        offset,
      );
    }
    return Number(value);
  }
  const text = cString(bytes).trim();
  if (!/^[0-7]*$/.test(text))
    throw new FormatError("MALFORMED", `Cannot read tar ${what}: "${text}" is not octal`, offset);
  // 12 octal digits are 36 bits, well inside the safe integer range.
  return text === "" ? 0 : Number.parseInt(text, 8);
}

/** Unsigned and signed sums of the block with the checksum field as spaces. */
function checksums(block: Uint8Array): [unsigned: number, signed: number] {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK_SIZE; i++) {
    const byte = i >= CHECKSUM[0] && i < CHECKSUM[0] + CHECKSUM[1] ? SPACE : block[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return [unsigned, signed];
}

export function isZeroBlock(block: Uint8Array): boolean {
  return block.every((byte) => byte === 0);
}

/** Parses and checksum-verifies one header block; MALFORMED on a bad checksum. */
export function parseHeader(block: Uint8Array, offset: number): RawHeader {
  const stored = parseNumber(field(block, CHECKSUM), "header checksum", offset + CHECKSUM[0]);
  const [unsigned, signed] = checksums(block);
  if (stored !== unsigned && stored !== signed) {
    throw new FormatError(
      "MALFORMED",
      `Cannot read tar header: checksum "${stored}" should be "${unsigned}"`,
      offset,
    );
  }
  const typeByte = block[TYPEFLAG]!;
  return {
    name: cString(field(block, NAME)),
    size: parseNumber(field(block, SIZE), "size", offset + SIZE[0]),
    typeflag: typeByte === 0 ? "" : String.fromCharCode(typeByte),
    linkName: cString(field(block, LINKNAME)),
    prefix: cString(field(block, PREFIX)),
    ustar: cString(field(block, MAGIC)).startsWith("ustar"),
    signedChecksum: stored !== unsigned,
  };
}

/** True when `first512` is a tar header with a valid checksum ("ustar" magic optional, for v7). */
export function sniffTar(first512: Uint8Array): boolean {
  if (first512.length < BLOCK_SIZE || isZeroBlock(first512.subarray(0, BLOCK_SIZE))) return false;
  try {
    parseHeader(first512.subarray(0, BLOCK_SIZE), 0);
    return true;
  } catch (error) {
    if (error instanceof FormatError) return false;
    throw error;
  }
}
