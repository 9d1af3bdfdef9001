import { LedgerError } from "../ledger-error.js";
import type { LeafRange } from "./subtree.js";
import { assertIndexInTree, assertTreeSize, splitPoint } from "./tree-math.js";

/**
 * The leaf ranges whose hashes form PATH(m, D[0:n]) (RFC 9162 §2.1.3.1), leaf to root. Walking
 * down from the root, each split contributes the side that does not hold leaf m.
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  assertIndexInTree(index, size);
  const topDown: LeafRange[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      topDown.push({ start: start + k, end });
      end = start + k;
    } else {
      topDown.push({ start, end: start + k });
      start += k;
    }
  }
  return topDown.reverse();
}

/**
 * The leaf ranges whose hashes form PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) (RFC 9162
 * §2.1.4.1), in proof order. The recursion only ever descends one side, so it is a loop that
 * collects the sibling of each step and, if it stops at an old-tree subtree it did not start
 * from, that subtree itself.
 */
export function consistencyProofRanges(oldSize: number, newSize: number): LeafRange[] {
  assertConsistencySizes(oldSize, newSize);
  const topDown: LeafRange[] = [];
  let start = 0;
  let end = newSize;
  let fromRoot = true;
  while (oldSize !== end) {
    const k = splitPoint(end - start);
    if (oldSize <= start + k) {
      topDown.push({ start: start + k, end });
      end = start + k;
    } else {
      topDown.push({ start, end: start + k });
      start += k;
      fromRoot = false;
    }
  }
  if (!fromRoot) topDown.push({ start, end });
  return topDown.reverse();
}

/** Throws OUT_OF_RANGE unless 1 <= oldSize <= newSize (a proof from the empty tree proves nothing). */
export function assertConsistencySizes(oldSize: number, newSize: number): void {
  assertTreeSize(oldSize, "old tree size");
  assertTreeSize(newSize, "new tree size");
  if (oldSize < 1 || oldSize > newSize) {
    throw new LedgerError(
      "OUT_OF_RANGE",
      `Cannot prove consistency from size ${oldSize} to ${newSize}: need 1 <= old <= new`,
    );
  }
}
