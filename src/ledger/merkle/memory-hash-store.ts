import { LedgerError } from "../ledger-error.js";
import { appendLeafHashes, compactRangeRoot, type StoredHash } from "./compact-range.js";
import { storedHashIndex } from "./stored-hashes.js";
import type { HashReader, SubtreeAddress } from "./subtree.js";

/**
 * Every complete-subtree hash of a log held in one array in `storedHashIndex` order: the layout a
 * server table should have, kept in memory. For tests, tools and small embedded logs.
 */
export class MemoryHashStore implements HashReader {
  readonly #hashes: Uint8Array[] = [];
  #peaks: readonly StoredHash[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The root of the current tree. */
  get root(): Uint8Array {
    return compactRangeRoot(this.#peaks);
  }

  /** Appends leaf hashes and returns the hashes stored for them. */
  append(leafHashes: readonly Uint8Array[]): readonly StoredHash[] {
    const result = appendLeafHashes(this.#size, this.#peaks, leafHashes);
    for (const stored of result.stored) this.#hashes.push(stored.hash);
    this.#peaks = result.peaks;
    this.#size = result.size;
    return result.stored;
  }

  readHashes(addresses: readonly SubtreeAddress[]): readonly Uint8Array[] {
    return addresses.map((address) => {
      const hash = this.#hashes[storedHashIndex(address)];
      if (hash === undefined) {
        throw new LedgerError(
          "OUT_OF_RANGE",
          `Cannot read subtree (${address.level}, ${address.index}): the tree has ${this.#size} leaves`,
        );
      }
      return hash;
    });
  }
}
