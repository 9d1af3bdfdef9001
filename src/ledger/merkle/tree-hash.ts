import { compactRangeRoot, pushLeaf, type StoredHash } from "./compact-range.js";
import { assertHash } from "./hash.js";
import { type HashReader, readRangeHashes } from "./subtree.js";
import { assertTreeSize } from "./tree-math.js";

/**
 * MTH(D[0:n]) (RFC 9162 §2.1.1) from the n leaf hashes, in one pass with O(log n) memory.
 */
export function treeHash(leafHashes: readonly Uint8Array[]): Uint8Array {
  const stack: StoredHash[] = [];
  for (const [index, hash] of leafHashes.entries()) {
    assertHash(hash, "leaf hash");
    pushLeaf(stack, { level: 0, index, hash });
  }
  return compactRangeRoot(stack);
}

/**
 * The root of the tree's first `size` leaves from stored hashes: one read of at most one hash per
 * set bit of `size`. Works for every past size, so a server can sign or prove any old checkpoint.
 */
export async function treeHashAt(size: number, reader: HashReader): Promise<Uint8Array> {
  assertTreeSize(size, "tree size");
  if (size === 0) return compactRangeRoot([]);
  const [root] = await readRangeHashes([{ start: 0, end: size }], reader);
  return root!;
}
