import { LedgerError } from "../ledger-error.js";
import { assertHash, hashesEqual, nodeHash } from "./hash.js";
import { inclusionProofRanges } from "./proof-ranges.js";
import { type HashReader, readRangeHashes } from "./subtree.js";
import { half, lsb } from "./tree-math.js";

/** The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1). */
export async function proveInclusion(
  index: number,
  size: number,
  reader: HashReader,
): Promise<Uint8Array[]> {
  return readRangeHashes(inclusionProofRanges(index, size), reader);
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2). Every argument may come from the
 * network: the index must be inside the tree and the proof exactly as long as the tree shape
 * requires, or this throws OUT_OF_RANGE or MALFORMED_PROOF.
 */
export function rootFromInclusionProof(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
): Uint8Array {
  const expected = inclusionProofRanges(index, size).length;
  if (proof.length !== expected) {
    throw new LedgerError(
      "MALFORMED_PROOF",
      `Cannot verify inclusion of leaf ${index} in size ${size}: proof has ${proof.length} hashes, need ${expected}`,
    );
  }
  assertHash(leaf, "leaf hash");
  for (const p of proof) assertHash(p, "inclusion proof hash");
  // RFC 9162 §2.1.3.2 steps 2-4, with shifts as halvings (indexes may exceed 32 bits).
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw tooLong(index, size);
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!lsb(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw tooLong(index, size);
  return r;
}

/** Throws PROOF_MISMATCH unless the proof shows `leaf` at `index` in the tree with `root`. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertHash(root, "root hash");
  if (!hashesEqual(rootFromInclusionProof(leaf, index, size, proof), root)) {
    throw new LedgerError(
      "PROOF_MISMATCH",
      `Cannot verify inclusion of leaf ${index} in size ${size}: the proof leads to another root`,
    );
  }
}

// Unreachable when the length check above holds; kept so the RFC's own checks stay in place.
function tooLong(index: number, size: number): LedgerError {
  return new LedgerError(
    "MALFORMED_PROOF",
    `Cannot verify inclusion of leaf ${index} in size ${size}: proof does not fit the tree`,
  );
}
