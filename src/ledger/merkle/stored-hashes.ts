import { LedgerError } from "../ledger-error.js";
import type { SubtreeAddress } from "./subtree.js";
import { assertTreeSize, popcount } from "./tree-math.js";

/**
 * The append-order layout of every complete-subtree hash of a log. Appending leaf m stores its
 * leaf hash, then the hash of each subtree that leaf m completes, lowest level first. A tree of
 * size n has sum over levels l of floor(n / 2^l) = 2n - popcount(n) complete subtrees, so the
 * stored hashes form one dense array that only ever grows: the server can keep them in a table
 * keyed by this index (or by (level, index)) and never rewrite a row.
 */
export function storedHashCount(size: number): number {
  assertTreeSize(size, "tree size");
  return 2 * size - popcount(size);
}

/**
 * Position of the hash of subtree (level, index) in the stored-hash array. That subtree is
 * completed by leaf m = (index + 1) * 2^level - 1, whose record begins at storedHashCount(m) and
 * holds levels 0, 1, ..., so the subtree sits `level` places after the start.
 */
export function storedHashIndex(address: SubtreeAddress): number {
  const { level, index } = address;
  if (!Number.isSafeInteger(level) || level < 0 || level > MAX_LEVEL) {
    throw new LedgerError("OUT_OF_RANGE", `Cannot locate subtree: level "${level}" is invalid`);
  }
  assertTreeSize(index, "subtree index");
  const end = (index + 1) * 2 ** level;
  if (!Number.isSafeInteger(end)) {
    throw new LedgerError(
      "OUT_OF_RANGE",
      `Cannot locate subtree (${level}, ${index}): it ends past 2^53`,
    );
  }
  return storedHashCount(end - 1) + level;
}

/** The highest level a subtree of a safe-integer-sized tree can have (2^52 leaves). */
const MAX_LEVEL = 52;
