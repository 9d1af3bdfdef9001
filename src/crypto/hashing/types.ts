/**
 * The public shapes of the hashing engine's API, re-exported by `index.ts`.
 */
import type { HashAlgorithm } from "./algorithm.js";

export interface HashTask {
  readonly path: string;
  /** First byte of the range; default 0. */
  readonly start?: number;
  /** One past the last byte; default the file's size when it is stat'ed before hashing. */
  readonly end?: number;
}

export interface HashResult {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  /** The digest; a Buffer at run time. */
  readonly digest: Uint8Array;
}

export interface HashOptions {
  readonly algorithm: HashAlgorithm;
  /** Worker threads at most; default: the number of cores (`os.availableParallelism()`). */
  readonly workers?: number;
  /**
   * Called at most every 100 ms while hashing, and once at the end with `bytesDone ===
   * bytesTotal`. `bytesTotal` is the sum of all range lengths, known from stats taken up front.
   */
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}
