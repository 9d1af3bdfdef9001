import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { parseCentralDirectory } from "./central-directory.js";
import { type EndRecord, readEndRecord } from "./end-record.js";
import { entryAnomalies } from "./entry-anomalies.js";
import { analyseLayout, type Region } from "./layout.js";
import { u32 } from "./little-endian.js";
import { readLocalHeader } from "./local-header.js";
import { CENTRAL_HEADER_SIGNATURE, CENTRAL_HEADER_SIZE, END_SIZE } from "./signatures.js";
import {
  DEFAULT_ZIP_LIMITS,
  type ZipAnomaly,
  type ZipArchive,
  type ZipEntry,
  type ZipLimits,
} from "./types.js";

/**
 * Reads a zip archive's structure the way PyTorch's reader (caffe2 PyTorchStreamReader over miniz)
 * does: end record, central directory, and each entry's local header, whose own name and extra
 * lengths decide where data starts. Member data is never read. Everything a stricter or different
 * reader would see differently is reported as an anomaly for the scanner to judge.
 */
export async function readZipDirectory(
  source: ByteSource,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ZipArchive> {
  const end = await readEndRecord(source);
  const anomalies: ZipAnomaly[] = [...end.anomalies];
  const { entryCount, centralDirectorySize: cdSize } = end;
  if (entryCount > limits.maxEntries) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read central directory: "${entryCount}" entries`,
      end.offset,
    );
  }
  if (cdSize > limits.maxCentralDirectoryBytes) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read central directory: "${cdSize}" bytes`,
      end.offset,
    );
  }
  if (entryCount * CENTRAL_HEADER_SIZE > cdSize) {
    // miniz: cdir_size < total_files * MZ_ZIP_CENTRAL_DIR_HEADER_SIZE is corrupt.
    throw new FormatError(
      "MALFORMED",
      `Cannot read central directory: "${entryCount}" entries do not fit in "${cdSize}" bytes`,
      end.offset,
    );
  }
  const startOffset = await locateStart(source, end, anomalies);
  const cdOffset = end.centralDirectoryOffset + startOffset;
  const cd = await source.read(cdOffset, cdSize);
  const { records, consumed } = parseCentralDirectory(cd, cdOffset, entryCount, limits);
  if (consumed < cdSize) {
    anomalies.push({
      code: "data-outside-members",
      offset: cdOffset + consumed,
      detail: `"${cdSize - consumed}" bytes in the central directory after the last of "${entryCount}" entries`,
    });
  }
  if (end.commentLength > 0) {
    anomalies.push({
      code: "comment",
      offset: end.offset,
      detail: `archive comment of "${end.commentLength}" bytes`,
    });
  }
  const entries: ZipEntry[] = [];
  const regions: Region[] = [
    { start: cdOffset, end: cdOffset + cdSize, label: "central directory" },
  ];
  const seen = new Set<string>();
  for (const central of records) {
    if (seen.has(central.name)) {
      anomalies.push({
        code: "duplicate-name",
        offset: central.offset,
        entry: central.name,
        detail: `entry "${central.index}" repeats a name`,
      });
    }
    seen.add(central.name);
    const localHeaderOffset = central.localHeaderOffset + startOffset;
    const { local, anomalies: localAnomalies } = await readLocalHeader(
      source,
      central,
      localHeaderOffset,
      limits,
    );
    anomalies.push(...localAnomalies, ...entryAnomalies(central, local.flags, localHeaderOffset));
    regions.push({
      start: localHeaderOffset,
      end: local.end,
      label: `member "${central.name}"`,
      entry: central.name,
    });
    entries.push({
      index: central.index,
      name: central.name,
      localName: local.name,
      method: central.method,
      flags: central.flags,
      localFlags: local.flags,
      crc32: central.crc32,
      compressedSize: central.compressedSize,
      uncompressedSize: central.uncompressedSize,
      localHeaderOffset,
      dataOffset: local.dataOffset,
    });
  }
  if (end.zip64 !== null)
    regions.push({ start: end.zip64.offset, end: end.zip64.end, label: "zip64 end record" });
  // A comment that claims more bytes than remain is clipped; the gap analysis covers the rest.
  const endEnd = Math.min(source.size, end.offset + END_SIZE + end.commentLength);
  if (end.offset + END_SIZE + end.commentLength > source.size) {
    anomalies.push({
      code: "comment",
      offset: end.offset,
      detail: "archive comment runs past the end of the file",
    });
  }
  regions.push({ start: end.offset, end: endEnd, label: "end record" });
  const layout = analyseLayout(source.size, regions);
  anomalies.push(...layout.anomalies);
  return {
    entries,
    anomalies,
    eocdOffset: end.offset,
    centralDirectoryOffset: cdOffset,
    startOffset,
    gaps: layout.gaps,
  };
}

/**
 * Python's zipfile computes `concat = eocd - cd_size - cd_offset` (less the zip64 records) and adds
 * it to every offset, which reads archives with prepended data; miniz trusts the offsets as they
 * are. When both places hold a central directory the two readers see different archives.
 */
async function locateStart(
  source: ByteSource,
  end: EndRecord,
  anomalies: ZipAnomaly[],
): Promise<number> {
  const concat = end.directoryEnd - end.centralDirectorySize - end.centralDirectoryOffset;
  if (concat < 0) {
    throw new FormatError(
      "MALFORMED",
      `Cannot locate central directory: offset "${end.centralDirectoryOffset}" size "${end.centralDirectorySize}" end past "${end.directoryEnd}"`,
      end.offset,
    );
  }
  if (concat === 0 || end.entryCount === 0) return concat;
  const hasDirectoryAt = async (at: number): Promise<boolean> =>
    at + 4 <= source.size && u32(await source.read(at, 4), 0) === CENTRAL_HEADER_SIGNATURE;
  const python = await hasDirectoryAt(end.centralDirectoryOffset + concat);
  const miniz = await hasDirectoryAt(end.centralDirectoryOffset);
  if (python && miniz) {
    anomalies.push({
      code: "data-outside-members",
      offset: end.centralDirectoryOffset,
      detail: `a reader ignoring the "${concat}" prefix bytes finds another central directory here`,
    });
  }
  return python || !miniz ? concat : 0;
}
