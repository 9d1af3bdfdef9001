import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { u16, u32, u64 } from "./little-endian.js";
import {
  END_SEARCH_WINDOW,
  END_SIGNATURE,
  END_SIZE,
  ZIP64_END_SIGNATURE,
  ZIP64_END_SIZE,
  ZIP64_END_SIZE_FIELD_BIAS,
  ZIP64_LOCATOR_SIGNATURE,
  ZIP64_LOCATOR_SIZE,
  ZIP64_U16_SENTINEL,
  ZIP64_U32_SENTINEL,
} from "./signatures.js";
import type { ZipAnomaly } from "./types.js";

/** The end of central directory record (APPNOTE 4.3.16), merged with the zip64 record if any. */
export interface EndRecord {
  readonly offset: number;
  readonly commentLength: number;
  readonly entryCount: number;
  readonly centralDirectorySize: number;
  /** As recorded, relative to the start of the archive. */
  readonly centralDirectoryOffset: number;
  /** Where the central directory ends when it is contiguous: the zip64 record or the end record. */
  readonly directoryEnd: number;
  /** Byte range of the zip64 record and locator, when present. */
  readonly zip64: { readonly offset: number; readonly end: number } | null;
  readonly anomalies: readonly ZipAnomaly[];
}

interface RawEnd {
  disk: number;
  directoryDisk: number;
  entriesOnDisk: number;
  entryCount: number;
  centralDirectorySize: number;
  centralDirectoryOffset: number;
  commentLength: number;
}

function parseEnd(bytes: Uint8Array, at: number): RawEnd {
  return {
    disk: u16(bytes, at + 4),
    directoryDisk: u16(bytes, at + 6),
    entriesOnDisk: u16(bytes, at + 8),
    entryCount: u16(bytes, at + 10),
    centralDirectorySize: u32(bytes, at + 12),
    centralDirectoryOffset: u32(bytes, at + 16),
    commentLength: u16(bytes, at + 20),
  };
}

/** A candidate that could really be an end record, not four stray bytes inside member data. */
function plausible(end: RawEnd, position: number): boolean {
  return (
    end.entriesOnDisk === end.entryCount &&
    end.centralDirectoryOffset + end.centralDirectorySize <= position
  );
}

/**
 * Finds every end record signature in the last 65557 bytes, newest first. miniz
 * (`mz_zip_reader_locate_header_sig`) and Python's zipfile both take the LAST one that leaves room
 * for a whole record, so we do too and report the others.
 */
async function findCandidates(
  source: ByteSource,
): Promise<{ tail: Uint8Array; start: number; at: number[] }> {
  const start = Math.max(0, source.size - END_SEARCH_WINDOW);
  const tail = await source.read(start, source.size - start);
  const at: number[] = [];
  for (let i = tail.length - END_SIZE; i >= 0; i--) {
    if (tail[i] === 0x50 && u32(tail, i) === END_SIGNATURE) at.push(i);
  }
  return { tail, start, at };
}

/** True when the last 65557 bytes hold a plausible end of central directory record. */
export async function sniffZip(source: ByteSource): Promise<boolean> {
  if (source.size < END_SIZE) return false;
  const { tail, start, at } = await findCandidates(source);
  return at.some((i) => plausible(parseEnd(tail, i), start + i) || isSaturated(parseEnd(tail, i)));
}

function isSaturated(end: RawEnd): boolean {
  return (
    end.entryCount === ZIP64_U16_SENTINEL ||
    end.centralDirectorySize === ZIP64_U32_SENTINEL ||
    end.centralDirectoryOffset === ZIP64_U32_SENTINEL
  );
}

export async function readEndRecord(source: ByteSource): Promise<EndRecord> {
  if (source.size < END_SIZE) {
    throw new FormatError(
      "MALFORMED",
      `Cannot find end of central directory: input has ${source.size} bytes`,
    );
  }
  const { tail, start, at } = await findCandidates(source);
  const chosen = at[0];
  if (chosen === undefined) {
    throw new FormatError(
      "MALFORMED",
      "Cannot find end of central directory: no signature in the last 65557 bytes",
    );
  }
  const offset = start + chosen;
  const anomalies: ZipAnomaly[] = [];
  for (const other of at.slice(1)) {
    if (plausible(parseEnd(tail, other), start + other)) {
      anomalies.push({
        code: "multiple-eocd",
        offset: start + other,
        detail: `another end of central directory record before the one used at "${offset}"`,
      });
    }
  }
  let end = parseEnd(tail, chosen);
  let zip64: EndRecord["zip64"] = null;
  let directoryEnd = offset;
  const locator =
    offset >= ZIP64_LOCATOR_SIZE
      ? await source.read(offset - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE)
      : null;
  // 4.3.15: miniz and Python both switch to the zip64 record whenever the locator is present,
  // whether or not the 32-bit fields are saturated.
  if (locator !== null && u32(locator, 0) === ZIP64_LOCATOR_SIGNATURE) {
    const locatorOffset = offset - ZIP64_LOCATOR_SIZE;
    const record = await readZip64Record(source, locator, locatorOffset);
    const merged = mergeZip64(end, record.fields, offset, anomalies);
    end = merged;
    zip64 = { offset: record.offset, end: offset };
    directoryEnd = record.offset;
  }
  const multiDisk = !(end.disk === end.directoryDisk && end.disk <= 1);
  if (multiDisk || end.entriesOnDisk !== end.entryCount) {
    // miniz accepts disk 0/0 and 1/1 only (MZ_ZIP_UNSUPPORTED_MULTIDISK); Python refuses spanning.
    throw new FormatError(
      "UNSUPPORTED",
      `Cannot read multi-disk archive: disk "${end.disk}" directory disk "${end.directoryDisk}"`,
      offset,
    );
  }
  return {
    offset,
    commentLength: end.commentLength,
    entryCount: end.entryCount,
    centralDirectorySize: end.centralDirectorySize,
    centralDirectoryOffset: end.centralDirectoryOffset,
    directoryEnd,
    zip64,
    anomalies,
  };
}

async function readZip64Record(
  source: ByteSource,
  locator: Uint8Array,
  locatorOffset: number,
): Promise<{ offset: number; fields: Uint8Array }> {
  // miniz trusts the locator's offset; Python reads the 56 bytes right before the locator, which
  // also works when data was prepended. Try the locator first, then Python's position.
  const recorded = u64(locator, 8, "zip64 end record offset");
  const candidates = [recorded, locatorOffset - ZIP64_END_SIZE];
  for (const at of candidates) {
    if (at < 0 || at + ZIP64_END_SIZE > locatorOffset) continue;
    const fields = await source.read(at, ZIP64_END_SIZE);
    if (u32(fields, 0) !== ZIP64_END_SIGNATURE) continue;
    const end = at + ZIP64_END_SIZE_FIELD_BIAS + u64(fields, 4, "zip64 end record size");
    if (end < at + ZIP64_END_SIZE || end > locatorOffset) {
      throw new FormatError("MALFORMED", `Cannot read zip64 end record: size runs to "${end}"`, at);
    }
    return { offset: at, fields };
  }
  throw new FormatError(
    "MALFORMED",
    `Cannot find zip64 end record: locator points at "${recorded}"`,
    locatorOffset,
  );
}

function mergeZip64(
  end: RawEnd,
  fields: Uint8Array,
  offset: number,
  anomalies: ZipAnomaly[],
): RawEnd {
  const merged: RawEnd = {
    disk: u32(fields, 16),
    directoryDisk: u32(fields, 20),
    entriesOnDisk: u64(fields, 24, "zip64 entry count"),
    entryCount: u64(fields, 32, "zip64 entry count"),
    centralDirectorySize: u64(fields, 40, "zip64 central directory size"),
    centralDirectoryOffset: u64(fields, 48, "zip64 central directory offset"),
    commentLength: end.commentLength,
  };
  // A reader that uses the 32-bit fields unless saturated (4.4.1.4) would see another archive.
  const disagree =
    (end.entryCount !== ZIP64_U16_SENTINEL && end.entryCount !== merged.entryCount) ||
    (end.centralDirectorySize !== ZIP64_U32_SENTINEL &&
      end.centralDirectorySize !== merged.centralDirectorySize) ||
    (end.centralDirectoryOffset !== ZIP64_U32_SENTINEL &&
      end.centralDirectoryOffset !== merged.centralDirectoryOffset);
  if (disagree) {
    anomalies.push({
      code: "multiple-eocd",
      offset,
      detail: "end record and zip64 end record disagree",
    });
  }
  return merged;
}
