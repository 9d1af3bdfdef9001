/**
 * Hashes a batch of ranges and answers with a wire reply: what a worker does with each message,
 * and what the main thread does itself for calls too small to be worth a worker.
 */
import { HashError } from "./hash-error.js";
import { hashRange } from "./hash-range.js";
import { SharedProgress } from "./shared-progress.js";
import type { BatchReply, BatchRequest } from "./wire.js";

export function hashBatch(request: BatchRequest, buffer: Buffer): BatchReply {
  const progress = new SharedProgress(request.shared);
  const digests: Uint8Array[] = [];
  for (const job of request.jobs) {
    let digest: Buffer | undefined;
    try {
      digest = hashRange(job, request.algorithm, buffer, progress);
    } catch (error) {
      const failure =
        error instanceof HashError
          ? error
          : new HashError("IO", job.path, `Cannot hash '${job.path}': ${String(error)}`);
      return { kind: "failed", code: failure.code, path: failure.path, message: failure.message };
    }
    if (digest === undefined) return { kind: "aborted" };
    digests.push(digest);
  }
  return { kind: "done", digests };
}
