/**
 * Runs one call's batches on workers from the pool. Each worker takes the next batch as soon as
 * it answers the previous one. On the first failure the shared abort flag stops the others
 * between reads; the call waits for them (no worker is still reading when it rejects), gives the
 * workers back and throws that failure.
 */
import type { HashAlgorithm } from "./algorithm.js";
import { HashError } from "./hash-error.js";
import type { HashPool, PoolWorker } from "./hash-pool.js";
import { workerFailure } from "./hash-pool.js";
import type { SharedProgress } from "./shared-progress.js";
import type { RangeJob } from "./wire.js";

export async function runBatches(
  pool: HashPool,
  workers: number,
  algorithm: HashAlgorithm,
  batches: readonly (readonly RangeJob[])[],
  progress: SharedProgress,
): Promise<Map<number, Uint8Array>> {
  const digests = new Map<number, Uint8Array>();
  const queue = [...batches];
  let failure: HashError | undefined;
  const fail = (error: HashError): void => {
    failure ??= error;
    progress.abort();
  };

  const drain = async (worker: PoolWorker): Promise<void> => {
    for (let jobs = queue.shift(); jobs !== undefined; jobs = queue.shift()) {
      if (failure !== undefined) return;
      const first = jobs[0]?.path ?? "";
      const reply = await worker
        .run({ algorithm, jobs, shared: progress.buffer })
        .catch((error: unknown) => {
          fail(workerFailure(first, error));
          return undefined;
        });
      if (reply === undefined || reply.kind === "aborted") return;
      if (reply.kind === "failed") {
        fail(new HashError(reply.code, reply.path, reply.message));
        return;
      }
      for (const [i, job] of jobs.entries()) {
        const digest = reply.digests[i];
        if (digest === undefined) {
          fail(workerFailure(job.path, new Error("missing digest in reply")));
          return;
        }
        // A clone arrives as a plain Uint8Array; give callers the Buffer node:crypto would.
        digests.set(job.index, Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength));
      }
    }
  };

  const taken = pool.acquire(Math.min(workers, batches.length));
  try {
    await Promise.all(taken.map(drain));
  } finally {
    for (const worker of taken) pool.release(worker);
  }
  if (failure !== undefined) throw failure;
  return digests;
}
