/** One distribution and the files its record lists, normalised across pip, conda and dpkg. */
import type { RecordKind } from "../types.js";

export type DigestAlgorithm = "sha256" | "md5";

export interface RecordedDigest {
  readonly algorithm: DigestAlgorithm;
  /** Lower-case hex. */
  readonly hex: string;
}

/**
 * A conda file whose install-time prefix was written into it (conda `paths_data`
 * `prefix_placeholder`): `packagedSha256` is the hash before the rewrite.
 */
export interface PrefixPlaceholder {
  readonly placeholder: string;
  readonly mode: "text" | "binary";
  readonly packagedSha256: string | undefined;
}

/**
 * `file`: content is checked when a digest is known. `symlink`: must be a symbolic link.
 * `directory`: must be a directory. `bytecode`: a compiled cache, left to the bytecode check.
 * `generated`: written by the installer (conda entry points); must exist, content not recorded.
 * `listed`: owned (dpkg `.list`) with no checksum: a directory or symlink passes, a regular file is
 * unverified.
 */
export type RecordedType = "file" | "symlink" | "directory" | "bytecode" | "generated" | "listed";

export interface RecordedFile {
  /** Relative to the environment root, forward slashes, normalised; never starts with "../". */
  readonly path: string;
  readonly type: RecordedType;
  readonly digest?: RecordedDigest;
  readonly size?: number;
  readonly placeholder?: PrefixPlaceholder;
  /** The record itself (RECORD, its signatures): listed without a hash by design. */
  readonly selfEntry?: true;
}

export interface Distribution {
  readonly name: string;
  readonly version: string | undefined;
  readonly kind: RecordKind;
  /** The record file, relative to the environment root. */
  readonly recordPath: string;
  readonly files: readonly RecordedFile[];
  /** Recorded paths that resolve outside the environment root (skipped, counted). */
  readonly outsideRoot: number;
  /** A record that owns files but lists no hashes for any of them (old conda, egg-info). */
  readonly unhashed?: true;
}
