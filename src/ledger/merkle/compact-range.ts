import { LedgerError } from "../ledger-error.js";
import { assertHash, EMPTY_TREE_HASH, HASH_SIZE, nodeHash } from "./hash.js";
import { type HashReader, rangeSubtrees, type SubtreeAddress } from "./subtree.js";
import { assertTreeSize, half } from "./tree-math.js";

/** A complete-subtree hash the log must store, with its address. */
export interface StoredHash {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

/** The result of appending leaves to a tree. */
export interface AppendResult {
  /** The new tree size. */
  readonly size: number;
  /** The peaks (compact range) of the new tree: pass them to the next append. */
  readonly peaks: readonly StoredHash[];
  /** Every new complete-subtree hash, in `storedHashIndex` order. */
  readonly stored: readonly StoredHash[];
}

/**
 * The peaks of a tree of `size` leaves: the complete subtrees of [0, size), largest first, one
 * per set bit of `size`. Their hashes are all a log must hold in memory to append, and folding
 * them from the right gives the root (RFC 9162 §2.1.1).
 */
export function compactRangeAddresses(size: number): SubtreeAddress[] {
  assertTreeSize(size, "tree size");
  return rangeSubtrees({ start: 0, end: size });
}

/** MTH of the tree whose peaks these are; the empty tree hash when there are none. */
export function compactRangeRoot(peaks: readonly StoredHash[]): Uint8Array {
  let acc: Uint8Array | undefined;
  for (let i = peaks.length - 1; i >= 0; i--) {
    const peak = peaks[i]!.hash;
    acc = acc === undefined ? peak : nodeHash(peak, acc);
  }
  return acc ?? EMPTY_TREE_HASH;
}

/**
 * Appends leaf hashes to a tree of `size` leaves whose peaks are given, and returns every new
 * hash to store. Each leaf costs one hash per subtree it completes (amortised under 2).
 */
export function appendLeafHashes(
  size: number,
  peaks: readonly StoredHash[],
  leafHashes: readonly Uint8Array[],
): AppendResult {
  const expected = compactRangeAddresses(size);
  if (
    peaks.length !== expected.length ||
    peaks.some(
      (p, i) =>
        p.level !== expected[i]!.level ||
        p.index !== expected[i]!.index ||
        p.hash.length !== HASH_SIZE,
    )
  ) {
    throw new LedgerError(
      "STORAGE_INCONSISTENT",
      `Cannot append to tree of size ${size}: its peaks are not the tree's compact range`,
    );
  }
  const newSize = size + leafHashes.length;
  assertTreeSize(newSize, "new tree size");
  const stack = [...peaks];
  const stored: StoredHash[] = [];
  for (const [i, hash] of leafHashes.entries()) {
    assertHash(hash, "leaf hash");
    pushLeaf(stack, { level: 0, index: size + i, hash }, stored);
  }
  return { size: newSize, peaks: stack, stored };
}

/** Pushes a leaf and merges equal-level peaks, recording each new subtree when `sink` is given. */
export function pushLeaf(stack: StoredHash[], leaf: StoredHash, sink?: StoredHash[]): void {
  sink?.push(leaf);
  stack.push(leaf);
  for (;;) {
    const right = stack[stack.length - 1]!;
    const left = stack[stack.length - 2];
    if (left === undefined || left.level !== right.level) return;
    stack.length -= 2;
    const merged = {
      level: right.level + 1,
      index: half(right.index),
      hash: nodeHash(left.hash, right.hash),
    };
    sink?.push(merged);
    stack.push(merged);
  }
}

/**
 * What a log stores when it appends a batch: reads the peaks of the current tree (at most one
 * hash per set bit of `size`) in one call, then computes every new hash in memory.
 */
export async function storedHashesForLeaves(
  size: number,
  leafHashes: readonly Uint8Array[],
  reader: HashReader,
): Promise<readonly StoredHash[]> {
  const addresses = compactRangeAddresses(size);
  const hashes = addresses.length === 0 ? [] : await reader.readHashes(addresses);
  if (hashes.length !== addresses.length) {
    throw new LedgerError(
      "STORAGE_INCONSISTENT",
      `Cannot read tree peaks: asked for ${addresses.length}, got ${hashes.length}`,
    );
  }
  const peaks = addresses.map((a, i) => ({ ...a, hash: hashes[i]! }));
  return appendLeafHashes(size, peaks, leafHashes).stored;
}
