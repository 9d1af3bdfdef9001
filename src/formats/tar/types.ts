/** Result types of the tar reader. Offsets are absolute positions in the file being read. */

export interface TarLimits {
  /** Most entries (after folding GNU long-name and pax headers into theirs). */
  readonly maxEntries: number;
  /** Longest name from a GNU 'L'/'K' block or a pax path, in bytes. */
  readonly maxNameLength: number;
  /** Largest GNU long-name or pax header payload read into memory. */
  readonly maxMetaBytes: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = {
  maxEntries: 100_000,
  maxNameLength: 4096,
  maxMetaBytes: 1024 * 1024,
};

/** What Python's tarfile (which torch's legacy loader uses) treats the entry as. */
export type TarEntryType =
  | "file"
  | "directory"
  | "symlink"
  | "hardlink"
  | "device"
  | "fifo"
  | "sparse";

export interface TarEntry {
  /** Name after applying the ustar prefix, a GNU long name or a pax path. */
  readonly name: string;
  readonly size: number;
  /** Offset of the entry's own header block (not of any long-name or pax block before it). */
  readonly headerOffset: number;
  readonly dataOffset: number;
  readonly type: TarEntryType;
  /** The raw typeflag character ("0", "5", ...; "" for NUL). */
  readonly typeflag: string;
  readonly linkName: string;
}

export type TarAnomalyCode =
  | "duplicate-name"
  /** The archive ends without a zero block (tarfile accepts this). */
  | "missing-end-marker"
  /** Non-zero bytes after the end-of-archive marker. */
  | "data-after-end"
  /** The checksum only matches when bytes are summed as signed (old Sun tar). */
  | "signed-checksum"
  /** A link, directory or device with a size: tarfile does not skip it, other tools do. */
  | "size-on-non-file"
  /** A typeflag tarfile does not know; it reads such entries as regular files. */
  | "unknown-type";

export interface TarAnomaly {
  readonly code: TarAnomalyCode;
  readonly offset: number;
  readonly entry?: string;
  readonly detail: string;
}

export interface TarListing {
  readonly entries: readonly TarEntry[];
  readonly anomalies: readonly TarAnomaly[];
}
