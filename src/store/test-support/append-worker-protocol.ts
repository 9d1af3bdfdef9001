import { fileURLToPath } from "node:url";
import type { OpenStoreOptions } from "../open-store.js";

/** The child script the concurrency tests spawn (run with `node --import tsx`). */
export const APPEND_WORKER_PATH = fileURLToPath(new URL("./append-worker.ts", import.meta.url));

/** What a worker is told in argv[2], as JSON. */
export interface AppendWorkerArgs {
  readonly options: OpenStoreOptions;
  readonly worker: number;
  readonly batches: number;
  /** Batches differ in size: batch j holds 1 + (7j + worker) mod maxBatch entries. */
  readonly maxBatch: number;
  /** Each worker waits up to this long (uniformly random) after each batch. */
  readonly pauseMs: number;
}

/** One line of a worker's stdout: a batch the store acknowledged. */
export interface AppendWorkerAck {
  readonly worker: number;
  readonly batch: number;
  readonly firstIndex: number;
  readonly count: number;
}

export function workerEntry(worker: number, batch: number, k: number): string {
  return `worker ${worker} batch ${batch} entry ${k}`;
}

export function workerBatchSize(args: AppendWorkerArgs, batch: number): number {
  return 1 + ((batch * 7 + args.worker) % args.maxBatch);
}
