import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import type { CentralRecord } from "./central-directory.js";
import { decodeName, sameBytes } from "./decode-name.js";
import { applyZip64Extra } from "./extra-fields.js";
import { u16, u32 } from "./little-endian.js";
import {
  DATA_DESCRIPTOR_SIGNATURE,
  FLAG_DATA_DESCRIPTOR,
  LOCAL_HEADER_SIGNATURE,
  LOCAL_HEADER_SIZE,
} from "./signatures.js";
import type { ZipAnomaly, ZipLimits } from "./types.js";

export interface LocalRecord {
  readonly name: string;
  readonly flags: number;
  /** First byte of member data: header + LOCAL name length + LOCAL extra length (miniz). */
  readonly dataOffset: number;
  /** One past the last byte of the member, including a recognised data descriptor. */
  readonly end: number;
}

/**
 * Reads the local file header (APPNOTE 4.3.7) of `central` at absolute `offset` and compares it
 * with the central directory. Readers use the central sizes, so differences are only reported.
 */
export async function readLocalHeader(
  source: ByteSource,
  central: CentralRecord,
  offset: number,
  limits: ZipLimits,
): Promise<{ local: LocalRecord; anomalies: ZipAnomaly[] }> {
  const entry = central.name;
  const header = await source.read(offset, LOCAL_HEADER_SIZE);
  if (u32(header, 0) !== LOCAL_HEADER_SIGNATURE) {
    throw new FormatError(
      "MALFORMED",
      `Cannot read local header of "${entry}": bad signature`,
      offset,
    );
  }
  const flags = u16(header, 6);
  const method = u16(header, 8);
  const nameLength = u16(header, 26);
  const extraLength = u16(header, 28);
  if (nameLength > limits.maxNameLength) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read local header of "${entry}": name has "${nameLength}" bytes`,
      offset,
    );
  }
  const variable = await source.read(offset + LOCAL_HEADER_SIZE, nameLength + extraLength);
  const nameBytes = variable.subarray(0, nameLength);
  const dataOffset = offset + LOCAL_HEADER_SIZE + nameLength + extraLength;
  if (dataOffset + central.compressedSize > source.size) {
    throw new FormatError(
      "TRUNCATED",
      `Cannot locate data of "${entry}": "${central.compressedSize}" bytes at "${dataOffset}" run past the end`,
      dataOffset,
    );
  }
  const anomalies: ZipAnomaly[] = [];
  const report = (code: ZipAnomaly["code"], detail: string, at = offset): void => {
    anomalies.push({ code, offset: at, entry, detail });
  };
  if (!sameBytes(nameBytes, central.nameBytes)) {
    report("local-name-mismatch", `local header names "${decodeName(nameBytes, flags)}"`);
  }
  if (method !== central.method) {
    report("local-header-mismatch", `local method "${method}", central "${central.method}"`);
  }
  if (flags !== central.flags) {
    report(
      "local-header-mismatch",
      `local flags "0x${flags.toString(16)}", central "0x${central.flags.toString(16)}"`,
    );
  }
  let descriptorLength = 0;
  if (flags & FLAG_DATA_DESCRIPTOR) {
    // 4.4.4 bit 3: CRC and sizes are zero here and follow the data instead.
    descriptorLength = await measureDescriptor(
      source,
      central,
      dataOffset + central.compressedSize,
      report,
    );
  } else {
    compareSizes(header, variable.subarray(nameLength), central, offset, report);
  }
  const local = {
    name: decodeName(nameBytes, flags),
    flags,
    dataOffset,
    end: dataOffset + central.compressedSize + descriptorLength,
  };
  return { local, anomalies };
}

type Report = (code: ZipAnomaly["code"], detail: string, at?: number) => void;

function compareSizes(
  header: Uint8Array,
  extra: Uint8Array,
  central: CentralRecord,
  offset: number,
  report: Report,
): void {
  let sizes: { compressedSize: number; uncompressedSize: number };
  try {
    // 4.5.3: a local zip64 extra carries both sizes when either is saturated.
    sizes = applyZip64Extra(
      { compressedSize: u32(header, 18), uncompressedSize: u32(header, 22), localHeaderOffset: 0 },
      0,
      extra,
      offset,
    );
  } catch (error) {
    // miniz never parses the local extra, so a broken one is a difference, not a failure.
    if (!(error instanceof FormatError)) throw error;
    report("local-header-mismatch", "local extra field is malformed");
    return;
  }
  const crc = u32(header, 14);
  if (crc !== central.crc32)
    report("local-header-mismatch", `local crc32 "${crc}", central "${central.crc32}"`);
  if (
    sizes.compressedSize !== central.compressedSize ||
    sizes.uncompressedSize !== central.uncompressedSize
  ) {
    report(
      "local-header-mismatch",
      `local sizes "${sizes.compressedSize}"/"${sizes.uncompressedSize}", central "${central.compressedSize}"/"${central.uncompressedSize}"`,
    );
  }
}

/**
 * 4.3.9: a data descriptor is crc32 and two sizes (4 or 8 bytes each), optionally preceded by a
 * signature. Returns its length when the values match the central directory, so the member's
 * extent can be computed; an unrecognised descriptor is left to show up as a gap.
 */
async function measureDescriptor(
  source: ByteSource,
  central: CentralRecord,
  at: number,
  report: Report,
): Promise<number> {
  const bytes = await source.read(at, Math.min(24, source.size - at));
  const signed = bytes.length >= 4 && u32(bytes, 0) === DATA_DESCRIPTOR_SIGNATURE;
  const base = signed ? 4 : 0;
  const matches = (wide: boolean): boolean => {
    const width = wide ? 8 : 4;
    if (bytes.length < base + 4 + 2 * width) return false;
    const read = (pos: number): bigint =>
      wide
        ? new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(pos, true)
        : BigInt(u32(bytes, pos));
    return (
      u32(bytes, base) === central.crc32 &&
      read(base + 4) === BigInt(central.compressedSize) &&
      read(base + 4 + width) === BigInt(central.uncompressedSize)
    );
  };
  if (matches(false)) return base + 12;
  if (matches(true)) return base + 20;
  if (signed) {
    report("local-header-mismatch", "data descriptor differs from the central directory", at);
    return 16;
  }
  return 0;
}
