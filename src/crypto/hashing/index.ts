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
import { availableParallelism } from "node:os";
import type { HashAlgorithm } from "./algorithm.js";
import { hashBatch } from "./hash-batch.js";
import { HashError } from "./hash-error.js";
import { HashPool } from "./hash-pool.js";
import { CHUNK_BYTES, MAIN_THREAD_MAX_BYTES, MAIN_THREAD_MAX_JOBS } from "./limits.js";
import { planBatches, resolveJobs } from "./plan.js";
import { startProgressReporter } from "./progress-reporter.js";
import { runBatches } from "./run-batches.js";
import { SharedProgress } from "./shared-progress.js";
import type { HashOptions, HashResult, HashTask } from "./types.js";
import type { RangeJob } from "./wire.js";

export type { HashAlgorithm } from "./algorithm.js";
export { hashBytes, NODE_HASH_NAME } from "./algorithm.js";
export type { HashErrorCode } from "./hash-error.js";
export { HashError } from "./hash-error.js";
export { fileShards } from "./shards.js";
export type { HashOptions, HashResult, HashTask } from "./types.js";

const pool = new HashPool();

/** Terminates the pool's idle and busy workers now (idle ones never block exit anyway). */
export function closeHashPool(): Promise<void> {
  return pool.close();
}

function workerCount(requested: number | undefined): number {
  if (requested === undefined) return availableParallelism();
  if (!Number.isSafeInteger(requested) || requested < 1) {
    throw new RangeError(
      `Cannot hash files: workers must be a positive integer, got '${requested}'`,
    );
  }
  return requested;
}

function hashOnThisThread(
  algorithm: HashAlgorithm,
  jobs: readonly RangeJob[],
  bytesTotal: number,
  progress: SharedProgress,
): Map<number, Uint8Array> {
  const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(bytesTotal, CHUNK_BYTES)));
  const reply = hashBatch({ algorithm, jobs, shared: progress.buffer }, buffer);
  if (reply.kind === "failed") throw new HashError(reply.code, reply.path, reply.message);
  if (reply.kind === "aborted") throw new Error("Cannot hash files: aborted on the main thread");
  return new Map(jobs.map((job, i) => [job.index, reply.digests[i] as Uint8Array]));
}

/**
 * Hashes every task; results come back in task order. Throws HashError ("NOT_FOUND", "IO",
 * "CHANGED") naming the first file that could not be hashed completely, RangeError for a
 * malformed range or worker count.
 */
export async function hashFiles(
  tasks: readonly HashTask[],
  options: HashOptions,
): Promise<HashResult[]> {
  const workers = workerCount(options.workers);
  const jobs = await resolveJobs(tasks);
  const bytesTotal = jobs.reduce((sum, job) => sum + (job.end - job.start), 0);
  const progress = new SharedProgress();
  const reporter =
    options.onProgress === undefined
      ? undefined
      : startProgressReporter(progress, bytesTotal, options.onProgress);
  let digests: Map<number, Uint8Array>;
  try {
    digests =
      bytesTotal <= MAIN_THREAD_MAX_BYTES && jobs.length <= MAIN_THREAD_MAX_JOBS
        ? hashOnThisThread(options.algorithm, jobs, bytesTotal, progress)
        : await runBatches(pool, workers, options.algorithm, planBatches(jobs), progress);
  } catch (error) {
    reporter?.stop();
    throw error;
  }
  reporter?.finish();
  return jobs.map((job) => ({
    path: job.path,
    start: job.start,
    end: job.end,
    digest: digests.get(job.index) as Uint8Array,
  }));
}
