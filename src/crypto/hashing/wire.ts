/**
 * The messages between the main thread and a hash worker. Everything here survives the structured
 * clone: plain objects, bigints, Uint8Arrays and a SharedArrayBuffer (shared, not copied).
 */
import type { HashAlgorithm } from "./algorithm.js";
import type { FileIdentity } from "./file-identity.js";
import type { HashErrorCode } from "./hash-error.js";

/** One range of one file, resolved and checked on the main thread. */
export interface RangeJob {
  /** Position of the task in the caller's list; results are put back in this order. */
  readonly index: number;
  readonly path: string;
  readonly start: number;
  readonly end: number;
  /** The file as stat'ed up front; the worker hashes only this file. */
  readonly identity: FileIdentity;
}

export interface BatchRequest {
  readonly algorithm: HashAlgorithm;
  readonly jobs: readonly RangeJob[];
  /** A `SharedProgress` buffer: bytes hashed so far and the abort flag of the whole call. */
  readonly shared: SharedArrayBuffer;
}

export type BatchReply =
  /** One digest per job, in the batch's order. */
  | { readonly kind: "done"; readonly digests: readonly Uint8Array[] }
  /** Another batch of the same call failed; this one stopped early. */
  | { readonly kind: "aborted" }
  | {
      readonly kind: "failed";
      readonly code: HashErrorCode;
      readonly path: string;
      readonly message: string;
    };
