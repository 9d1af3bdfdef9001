/** hashFiles and the process-wide worker pool behind it; see index.ts for how a call runs. */
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
