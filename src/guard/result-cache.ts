/**
 * Scan results by file identity: (dev, inode, size, mtime_ns, ctime_ns). A write, a rename over
 * the path, a truncation or a `touch` changes one of them; `utimes` can put mtime back but not
 * ctime, which only the kernel sets. A stale hit is still caught by the client, which compares
 * the reply's SHA-256 with the bytes it read.
 */
import type { BigIntStats } from "node:fs";
import type { FileIdentity } from "./protocol.js";

/** About 1 KiB per entry with a few findings: a few MiB at most. */
export const DEFAULT_CACHE_ENTRIES = 4096;

export function identityKey(stats: BigIntStats): string {
  return [stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs].join(":");
}

/** The same key for an identity a client sent (decimal strings, as BigInt prints them). */
export function requestIdentityKey(identity: FileIdentity): string {
  return [identity.dev, identity.ino, identity.size, identity.mtimeNs, identity.ctimeNs].join(":");
}

/** A least-recently-used map: `Map` keeps insertion order, so re-inserting on a hit moves it last. */
export class ResultCache<T> {
  readonly #entries = new Map<string, T>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_CACHE_ENTRIES) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): T | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }
}
