/**
 * A pool of hash worker threads shared by every `hashFiles` call in the process. Workers are
 * started on demand, kept for the next call (starting one costs 30–150 ms), unref'd while idle so
 * they never keep a CLI process alive, and terminated after IDLE_WORKER_MS without work.
 */
import type { Worker } from "node:worker_threads";
import { HashError } from "./hash-error.js";
import { IDLE_WORKER_MS } from "./limits.js";
import { spawnHashWorker } from "./spawn-worker.js";
import type { BatchReply, BatchRequest } from "./wire.js";

interface Pending {
  readonly resolve: (reply: BatchReply) => void;
  readonly reject: (error: Error) => void;
}

/** One worker thread that hashes one batch at a time. */
export class PoolWorker {
  readonly #worker: Worker;
  #pending: Pending | undefined;
  #dead = false;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.on("message", (reply: BatchReply) => this.#settle((p) => p.resolve(reply)));
    worker.on("error", (error) => this.#fail(error));
    worker.on("exit", (code) => this.#fail(new Error(`worker exited with code ${code}`)));
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** Sends one batch; the worker keeps the process alive until it answers. */
  run(request: BatchRequest): Promise<BatchReply> {
    if (this.#dead || this.#pending !== undefined) {
      return Promise.reject(new Error("Cannot run hash batch: worker is not idle"));
    }
    clearTimeout(this.#idleTimer);
    this.#worker.ref();
    return new Promise<BatchReply>((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage(request);
    });
  }

  /** Lets the process exit while this worker waits, and calls `onIdleTimeout` after `idleMs`. */
  park(idleMs: number, onIdleTimeout: () => void): void {
    this.#worker.unref();
    this.#idleTimer = setTimeout(onIdleTimeout, idleMs);
    this.#idleTimer.unref();
  }

  async terminate(): Promise<void> {
    clearTimeout(this.#idleTimer);
    this.#dead = true;
    await this.#worker.terminate();
  }

  #settle(action: (pending: Pending) => void): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) action(pending);
  }

  #fail(error: Error): void {
    this.#dead = true;
    this.#worker.unref();
    this.#settle((p) => p.reject(error));
  }
}

export class HashPool {
  readonly #idle: PoolWorker[] = [];
  readonly #all = new Set<PoolWorker>();
  readonly #idleMs: number;

  constructor(idleMs: number = IDLE_WORKER_MS) {
    this.#idleMs = idleMs;
  }

  /** Workers alive, idle or busy. */
  get size(): number {
    return this.#all.size;
  }

  /** Takes `count` workers for one call, reusing idle ones first. */
  acquire(count: number): PoolWorker[] {
    const taken: PoolWorker[] = [];
    while (taken.length < count) {
      const idle = this.#idle.pop();
      if (idle?.dead === true) {
        this.#all.delete(idle);
        continue;
      }
      const worker = idle ?? new PoolWorker(spawnHashWorker());
      this.#all.add(worker);
      taken.push(worker);
    }
    return taken;
  }

  /** Returns a worker after a call; a worker that failed is dropped. */
  release(worker: PoolWorker): void {
    if (worker.dead) {
      this.#all.delete(worker);
      return;
    }
    this.#idle.push(worker);
    worker.park(this.#idleMs, () => {
      const at = this.#idle.indexOf(worker);
      if (at === -1) return;
      this.#idle.splice(at, 1);
      this.#all.delete(worker);
      void worker.terminate();
    });
  }

  /** Terminates every worker; a later call starts new ones. */
  async close(): Promise<void> {
    const workers = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** Turns a worker crash (not a file problem) into our error, naming the batch's first file. */
export function workerFailure(path: string, error: unknown): HashError {
  const state = error instanceof Error ? error.message : String(error);
  return new HashError("IO", path, `Cannot hash '${path}': hash worker failed: ${state}`, {
    cause: error,
  });
}
