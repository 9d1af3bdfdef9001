/** Result types of the zip reader. Offsets are absolute positions in the file being read. */

export interface ZipLimits {
  /** Most central directory entries accepted. */
  readonly maxEntries: number;
  /** Largest central directory read into memory. */
  readonly maxCentralDirectoryBytes: number;
  /** Longest file name (central or local) accepted, in bytes. */
  readonly maxNameLength: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 100_000,
  maxCentralDirectoryBytes: 64 * 1024 * 1024,
  maxNameLength: 4096,
};

export interface ZipEntry {
  /** Position in the central directory, from 0. */
  readonly index: number;
  /** Central directory name: UTF-8 when flag bit 11 is set, otherwise CP437. */
  readonly name: string;
  /** Local header name, decoded by the local flags. */
  readonly localName: string;
  /** Compression method from the central directory (0 stored, 8 deflated). */
  readonly method: number;
  /** General purpose flags from the central directory. */
  readonly flags: number;
  /** General purpose flags from the local header. */
  readonly localFlags: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Absolute offset of the local header (recorded offset plus `ZipArchive.startOffset`). */
  readonly localHeaderOffset: number;
  /** Absolute offset of the member data: after the LOCAL header's name and extra, as miniz does. */
  readonly dataOffset: number;
}

export type ZipAnomalyCode =
  | "duplicate-name"
  | "local-name-mismatch"
  /** Method, flags, CRC or sizes differ between the local header (or data descriptor) and the CD. */
  | "local-header-mismatch"
  /** Flag bits outside USUAL_FLAGS: encryption 0x1, patched data 0x20, strong encryption 0x40... */
  | "flag-bits"
  /** A method other than 0 (stored) or 8 (deflated). */
  | "unknown-compression"
  /** Bytes no structure accounts for: prefix, gaps, slack in the CD, bytes after the comment. */
  | "data-outside-members"
  /** Two members, or a member and a directory record, share bytes. */
  | "overlapping-members"
  /** An archive or entry comment. */
  | "comment"
  /** More than one plausible end record, or end records that disagree. */
  | "multiple-eocd"
  /** Flag bit 0 or 6 set: readers refuse or decrypt, so content may not be what it seems. */
  | "encrypted";

export interface ZipAnomaly {
  readonly code: ZipAnomalyCode;
  readonly offset: number;
  readonly entry?: string;
  readonly detail: string;
}

export interface ZipGap {
  readonly offset: number;
  readonly length: number;
}

export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  readonly anomalies: readonly ZipAnomaly[];
  readonly eocdOffset: number;
  /** Absolute offset of the central directory. */
  readonly centralDirectoryOffset: number;
  /**
   * Bytes to add to every recorded offset (Python zipfile's `concat`): greater than 0 when data
   * was prepended to the archive without adjusting it, for example a pickle+zip polyglot.
   */
  readonly startOffset: number;
  /** Byte ranges no zip structure accounts for, in file order. */
  readonly gaps: readonly ZipGap[];
}
