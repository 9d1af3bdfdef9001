/**
 * Bounds on everything read from the environment. Every record and every directory in it may have
 * been written by the attacker, so each read is capped before it is used.
 */
export const LIMITS = {
  /** Largest RECORD file read. torch's RECORD is about 1 MiB; 64 MiB leaves room for monorepos. */
  maxRecordBytes: 64 * 1024 * 1024,
  /** Largest conda-meta JSON read (pytorch's is a few MiB). */
  maxCondaMetaBytes: 256 * 1024 * 1024,
  /** Largest dpkg `.md5sums` or `.list` file read. */
  maxDpkgFileBytes: 64 * 1024 * 1024,
  /** Most entries in one record (RECORD rows, conda paths, md5sums lines). */
  maxEntriesPerRecord: 1_000_000,
  /** Longest path in a record: Linux PATH_MAX. */
  maxPathLength: 4096,
  /** Largest `.pth` file read; site.py reads the whole file, so a larger one is reported unread. */
  maxPthBytes: 1024 * 1024,
  /** Most directory entries walked in the whole environment. */
  maxWalkEntries: 5_000_000,
  /** Deepest directory nesting walked below a site directory. */
  maxWalkDepth: 128,
  /** Most distributions (dist-info, conda-meta, dpkg packages) in one environment. */
  maxDistributions: 100_000,
  /** Most files in the dpkg info directory. */
  maxDpkgInfoFiles: 200_000,
} as const;

export type EnvLimits = { readonly [K in keyof typeof LIMITS]: number };
