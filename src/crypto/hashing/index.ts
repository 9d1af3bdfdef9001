/**
 * The hashing engine: files and byte ranges (shards) of files, hashed with SHA-256 or BLAKE2b-512
 * on worker threads. Used by sign, verify and env.
 *
 * How a call runs:
 * 1. Every distinct path is stat'ed up front (device, inode, size, mtime): a missing or unreadable
 *    file, or a range past a file's end, fails before any hashing, and the progress total is real.
 * 2. Ranges of 16 MiB or more go to workers alone, longest first; shorter ones are batched in
 *    order (at most 16 MiB or 256 ranges a batch). A tiny call (≤ 1 MiB in ≤ 64 ranges) is hashed
 *    on the calling thread instead, faster than starting a worker.
 * 3. Each worker reads with `fs.readSync` into its own reused 4 MiB buffer and feeds `node:crypto`
 *    (SHA-NI / AVX code in OpenSSL). Before and after each range it checks the open file is the
 *    stat'ed one, unchanged: a file that shrinks, grows, is rewritten or replaced fails closed with
 *    HashError "CHANGED", never a short digest.
 * 4. Workers come from a process-wide pool: at most `workers` (default: the core count) per call,
 *    reused across calls, unref'd when idle (they never keep a process alive) and ended after
 *    10 s idle. `closeHashPool()` ends them at once.
 */
export type { HashAlgorithm } from "./algorithm.js";
export { hashBytes, NODE_HASH_NAME } from "./algorithm.js";
export type { HashErrorCode } from "./hash-error.js";
export { HashError } from "./hash-error.js";
export { closeHashPool, hashFiles } from "./hash-files.js";
export { hashFilesSettled } from "./settled.js";
export { fileShards } from "./shards.js";
export type { HashOptions, HashResult, HashTask } from "./types.js";
