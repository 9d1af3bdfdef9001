/**
 * Group commit: appends that arrive while a write transaction runs wait and then go into the
 * next transaction together, so a busy server pays one lock, one fsync and one peak read per
 * batch instead of per request (Trillian and Tessera batch the same way). Each caller learns
 * the index of its first entry only after the transaction holding its entries has committed.
 */

/** Most entries written in one transaction; a larger single request is written alone. */
export const MAX_BATCH_ENTRIES = 20_000;

/** Writes entries in one transaction and returns the index of the first. */
export type WriteEntries = (entries: readonly Uint8Array[]) => Promise<number>;

interface Pending {
  readonly entries: readonly Uint8Array[];
  resolve(firstIndex: number): void;
  reject(error: unknown): void;
}

export class AppendBatcher {
  readonly #write: WriteEntries;
  readonly #maxEntries: number;
  #queue: Pending[] = [];
  #running: Promise<void> | undefined;

  constructor(write: WriteEntries, maxEntries: number = MAX_BATCH_ENTRIES) {
    this.#write = write;
    this.#maxEntries = maxEntries;
  }

  /** Queues entries; resolves with the index of the first once they are committed. */
  submit(entries: readonly Uint8Array[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ entries, resolve, reject });
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#running !== undefined) return;
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
      // A request queued after the loop's last check but before this callback still runs.
      if (this.#queue.length > 0) this.#kick();
    });
  }

  /** Resolves when every submitted append has been written or has failed. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#take();
      const entries = batch.flatMap((p) => p.entries);
      try {
        let next = await this.#write(entries);
        for (const pending of batch) {
          pending.resolve(next);
          next += pending.entries.length;
        }
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
  }

  /** The oldest requests up to the entry budget; always at least one. */
  #take(): Pending[] {
    let count = 0;
    let n = 0;
    for (const pending of this.#queue) {
      if (n > 0 && count + pending.entries.length > this.#maxEntries) break;
      count += pending.entries.length;
      n++;
    }
    const batch = this.#queue.slice(0, n);
    this.#queue = this.#queue.slice(n);
    return batch;
  }
}
