/** What a caller can set for a scan; every field has a safe default. */
export interface ScanLimits {
  /** Largest member or file read into memory to scan (a pickle, a compressed stream). */
  readonly maxReadBytes: number;
  /** Largest output of one decompression (the zip-bomb guard). */
  readonly maxDecompressedBytes: number;
  /** Largest compressed:decompressed ratio accepted before the input is called a bomb. */
  readonly maxDecompressionRatio: number;
  /** Members in one archive. */
  readonly maxMembers: number;
  /** Containers inside containers (zip in gzip in pickle bytes ...). */
  readonly maxNesting: number;
  /** Opcodes run per pickle stream. */
  readonly maxOpcodes: number;
  /** Pickle streams read from one input. */
  readonly maxStreams: number;
  /** Findings kept per file; the rest are counted in one summary finding. */
  readonly maxFindings: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = Object.freeze({
  maxReadBytes: 512 * 1024 * 1024,
  maxDecompressedBytes: 1024 * 1024 * 1024,
  maxDecompressionRatio: 1000,
  maxMembers: 100_000,
  maxNesting: 8,
  maxOpcodes: 50_000_000,
  maxStreams: 64,
  maxFindings: 200,
});

export interface ScanOptions {
  /** Extra globals to treat as harmless: exact `module.name`, or a `module.*` prefix. */
  readonly allow?: readonly string[];
  readonly limits?: Partial<ScanLimits>;
}

/** Called after each file of a `scanPath` run, for progress bars. */
export type ScanProgress = (done: number, total: number, path: string) => void;
