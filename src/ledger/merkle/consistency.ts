import { LedgerError } from "../ledger-error.js";
import { assertHash, hashesEqual, nodeHash } from "./hash.js";
import { consistencyProofRanges } from "./proof-ranges.js";
import { type HashReader, readRangeHashes } from "./subtree.js";
import { half, isPowerOfTwo, lsb } from "./tree-math.js";

/** The proof that the tree of `oldSize` leaves is a prefix of the tree of `newSize` (RFC 9162 §2.1.4.1). */
export async function proveConsistency(
  oldSize: number,
  newSize: number,
  reader: HashReader,
): Promise<Uint8Array[]> {
  return readRangeHashes(consistencyProofRanges(oldSize, newSize), reader);
}

/**
 * Throws unless `proof` shows the tree of `oldSize` leaves with `oldRoot` is a prefix of the tree
 * of `newSize` leaves with `newRoot` (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and
 * equal roots. OUT_OF_RANGE for sizes, MALFORMED_PROOF for a proof of the wrong length,
 * PROOF_MISMATCH when either root differs.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): void {
  const expected = consistencyProofRanges(oldSize, newSize).length;
  if (proof.length !== expected) {
    throw new LedgerError(
      "MALFORMED_PROOF",
      `Cannot verify consistency of size ${oldSize} with ${newSize}: proof has ${proof.length} hashes, need ${expected}`,
    );
  }
  assertHash(oldRoot, "old root hash");
  assertHash(newRoot, "new root hash");
  for (const p of proof) assertHash(p, "consistency proof hash");
  if (oldSize === newSize) {
    if (!hashesEqual(oldRoot, newRoot)) throw mismatch(oldSize, newSize);
    return;
  }
  const [fr, sr, sn] = walk(oldSize, newSize, oldRoot, proof);
  if (sn !== 0) {
    throw new LedgerError(
      "MALFORMED_PROOF",
      `Cannot verify consistency of size ${oldSize} with ${newSize}: proof does not fit the trees`,
    );
  }
  if (!hashesEqual(fr, oldRoot) || !hashesEqual(sr, newRoot)) throw mismatch(oldSize, newSize);
}

/** RFC 9162 §2.1.4.2 steps 2-6; returns (fr, sr, sn) for the caller's step 7. */
function walk(
  first: number,
  second: number,
  firstHash: Uint8Array,
  proof: readonly Uint8Array[],
): [Uint8Array, Uint8Array, number] {
  const path = isPowerOfTwo(first) ? [firstHash, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return [fr, sr, -1];
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!lsb(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return [fr, sr, sn];
}

function mismatch(oldSize: number, newSize: number): LedgerError {
  return new LedgerError(
    "PROOF_MISMATCH",
    `Cannot verify consistency of size ${oldSize} with ${newSize}: the proof leads to other roots`,
  );
}
