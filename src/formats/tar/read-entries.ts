import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { BLOCK_SIZE, cString, isZeroBlock, parseHeader, type RawHeader } from "./header.js";
import { parsePaxRecords } from "./pax.js";
import {
  DEFAULT_TAR_LIMITS,
  type TarAnomaly,
  type TarEntry,
  type TarEntryType,
  type TarLimits,
  type TarListing,
} from "./types.js";

/** A real entry has at most a 'g', an 'x', an 'L' and a 'K' header before it. */
const MAX_EXTENDED_HEADERS_PER_ENTRY = 16;
/** Trailing bytes after the end marker that are inspected for non-zero data. */
const MAX_TRAILER_SCAN = 1024 * 1024;

/** Typeflags Python's tarfile knows (tarfile.SUPPORTED_TYPES), minus the metadata ones handled below. */
const TYPES: Record<string, TarEntryType> = {
  "": "file",
  "0": "file",
  "7": "file",
  "1": "hardlink",
  "2": "symlink",
  "3": "device",
  "4": "device",
  "5": "directory",
  "6": "fifo",
};

const padded = (size: number): number => Math.ceil(size / BLOCK_SIZE) * BLOCK_SIZE;

/**
 * Lists a tar archive the way Python's tarfile (torch's legacy loader) reads it: header blocks with
 * verified checksums, GNU 'L'/'K' long names, pax 'x'/'g' headers (path, linkpath and size applied,
 * other keys skipped), up to the first zero block. Member data is never read.
 */
export async function readTarEntries(
  source: ByteSource,
  limits: Partial<TarLimits> = {},
): Promise<TarListing> {
  const bound: TarLimits = { ...DEFAULT_TAR_LIMITS, ...limits };
  const entries: TarEntry[] = [];
  const anomalies: TarAnomaly[] = [];
  const names = new Set<string>();
  const globalPax = new Map<string, string>();
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  let offset = 0;
  let extendedHeaders = 0;
  const pending = (): boolean => longName !== undefined || longLink !== undefined || pax.size > 0;
  for (;;) {
    if (offset + BLOCK_SIZE > source.size) {
      if (offset < source.size || pending()) {
        throw new FormatError(
          "TRUNCATED",
          `Cannot read tar header at "${offset}": input ends`,
          offset,
        );
      }
      anomalies.push({
        code: "missing-end-marker",
        offset,
        detail: "archive ends without a zero block",
      });
      break;
    }
    const block = await source.read(offset, BLOCK_SIZE);
    if (isZeroBlock(block)) {
      if (pending())
        throw new FormatError(
          "MALFORMED",
          "Cannot read tar entry: extended header without an entry",
          offset,
        );
      await checkTrailer(source, offset, anomalies);
      break;
    }
    const header = parseHeader(block, offset);
    if (header.signedChecksum) {
      anomalies.push({
        code: "signed-checksum",
        offset,
        entry: header.name,
        detail: "checksum only matches as signed bytes",
      });
    }
    const dataOffset = offset + BLOCK_SIZE;
    const flag = header.typeflag;
    if (flag === "L" || flag === "K" || flag === "x" || flag === "X" || flag === "g") {
      if (++extendedHeaders > MAX_EXTENDED_HEADERS_PER_ENTRY) {
        throw new FormatError(
          "LIMIT_EXCEEDED",
          `Cannot read tar entry: over "${MAX_EXTENDED_HEADERS_PER_ENTRY}" extended headers`,
          offset,
        );
      }
      const data = await readMeta(source, header, dataOffset, bound);
      if (flag === "L") longName = boundedName(cString(data), bound, dataOffset);
      else if (flag === "K") longLink = boundedName(cString(data), bound, dataOffset);
      else {
        const records = parsePaxRecords(data, dataOffset);
        checkPax(records, flag === "g", dataOffset);
        for (const [key, value] of records) (flag === "g" ? globalPax : pax).set(key, value);
      }
      offset = dataOffset + padded(header.size);
      continue;
    }
    if (entries.length >= bound.maxEntries) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read tar archive: more than "${bound.maxEntries}" entries`,
        offset,
      );
    }
    const merged = new Map([...globalPax, ...pax]);
    let type = TYPES[flag];
    if (type === undefined) {
      if (flag === "S")
        throw new FormatError(
          "UNSUPPORTED",
          "Cannot read GNU sparse tar entry: not supported",
          offset,
        );
      // tarfile reads unknown types as regular files, so the scanner must see them as files.
      anomalies.push({
        code: "unknown-type",
        offset,
        entry: header.name,
        detail: `typeflag "${flag}" read as a file`,
      });
      type = "file";
    }
    let name =
      merged.get("path") ??
      longName ??
      (header.prefix !== "" ? `${header.prefix}/${header.name}` : header.name);
    // tarfile: a v7 "regular file" whose name ends in "/" is a directory; directories lose the slash.
    if (flag === "" && name.endsWith("/")) type = "directory";
    if (type === "directory") name = name.replace(/\/+$/, "");
    boundedName(name, bound, offset);
    const paxSize = pax.get("size");
    const size = paxSize !== undefined ? Number(paxSize) : header.size;
    // tarfile skips data only for regular (and unknown) types; other tools skip any size.
    const skipped = type === "file" ? padded(size) : 0;
    if (type !== "file" && size > 0) {
      anomalies.push({
        code: "size-on-non-file",
        offset,
        entry: name,
        detail: `"${type}" entry declares "${size}" bytes`,
      });
    }
    if (type === "file" && dataOffset + size > source.size) {
      throw new FormatError(
        "TRUNCATED",
        `Cannot locate data of "${name}": "${size}" bytes run past the end`,
        dataOffset,
      );
    }
    if (names.has(name)) {
      anomalies.push({
        code: "duplicate-name",
        offset,
        entry: name,
        detail: "tarfile's getmember() returns the last one",
      });
    }
    names.add(name);
    entries.push({
      name,
      size: type === "file" ? size : 0,
      headerOffset: offset,
      dataOffset,
      type,
      typeflag: flag,
      linkName: merged.get("linkpath") ?? longLink ?? header.linkName,
    });
    longName = undefined;
    longLink = undefined;
    pax = new Map();
    extendedHeaders = 0;
    offset = dataOffset + skipped;
  }
  return { entries, anomalies };
}

async function readMeta(
  source: ByteSource,
  header: RawHeader,
  at: number,
  limits: TarLimits,
): Promise<Uint8Array> {
  if (header.size > limits.maxMetaBytes) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read tar extended header: "${header.size}" bytes`,
      at,
    );
  }
  return source.read(at, header.size);
}

function boundedName(name: string, limits: TarLimits, offset: number): string {
  if (name.length > limits.maxNameLength) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read tar name: "${name.length}" characters`,
      offset,
    );
  }
  return name;
}

function checkPax(records: Map<string, string>, global: boolean, offset: number): void {
  for (const key of records.keys()) {
    if (key.startsWith("GNU.sparse.")) {
      throw new FormatError(
        "UNSUPPORTED",
        "Cannot read GNU sparse tar entry: not supported",
        offset,
      );
    }
  }
  const size = records.get("size");
  if (size === undefined) return;
  // tarfile applies a global size to entries without skipping by it; we refuse to guess.
  if (global)
    throw new FormatError("UNSUPPORTED", "Cannot read tar archive: global pax size", offset);
  if (!/^[0-9]{1,15}$/.test(size))
    throw new FormatError("MALFORMED", `Cannot read pax size: "${size}"`, offset);
}

/** POSIX: two zero blocks end the archive; anything non-zero after them is reported. */
async function checkTrailer(
  source: ByteSource,
  offset: number,
  anomalies: TarAnomaly[],
): Promise<void> {
  const second = offset + BLOCK_SIZE;
  if (second + BLOCK_SIZE > source.size || !isZeroBlock(await source.read(second, BLOCK_SIZE))) {
    anomalies.push({ code: "missing-end-marker", offset, detail: "one zero block instead of two" });
  }
  const rest = source.size - second;
  if (rest <= 0) return;
  const inspected = await source.read(second, Math.min(rest, MAX_TRAILER_SCAN));
  const firstNonZero = inspected.findIndex((byte) => byte !== 0);
  if (firstNonZero >= 0) {
    anomalies.push({
      code: "data-after-end",
      offset: second + firstNonZero,
      detail: `non-zero bytes after the end marker`,
    });
  } else if (rest > MAX_TRAILER_SCAN) {
    anomalies.push({
      code: "data-after-end",
      offset: second,
      detail: `"${rest}" bytes after the end marker, not inspected`,
    });
  }
}
