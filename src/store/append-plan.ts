import {
  appendLeafHashes,
  compactRangeAddresses,
  compactRangeRoot,
  HASH_SIZE,
  type SubtreeAddress,
  storedHashCount,
  storedHashIndex,
} from "../ledger/index.js";
import type { AppendPlan } from "./store.js";
import { StoreError } from "./store-error.js";

/**
 * The standard plan for `Store.appendEntries`: reads the current tree's peaks (one query, at most
 * one hash per set bit of `size`), appends the leaf hashes in memory and returns every new
 * complete-subtree hash and the new root (RFC 9162 §2.1.1).
 */
export async function ledgerAppendPlan(
  size: number,
  leafHashes: readonly Uint8Array[],
  readHashes: (addresses: readonly SubtreeAddress[]) => Promise<readonly Uint8Array[]>,
): Promise<AppendPlan> {
  const addresses = compactRangeAddresses(size);
  const hashes = addresses.length === 0 ? [] : await readHashes(addresses);
  if (hashes.length !== addresses.length) {
    throw new StoreError(
      "STORAGE_INCONSISTENT",
      `Cannot read tree peaks: asked for ${addresses.length}, got ${hashes.length}`,
    );
  }
  const peaks = addresses.map((address, i) => ({ ...address, hash: hashes[i]! }));
  const result = appendLeafHashes(size, peaks, leafHashes);
  return { stored: result.stored, rootHash: compactRangeRoot(result.peaks) };
}

/**
 * Refuses a plan that would leave the stored-hash array with a hole or an overlap: it must hold
 * exactly the subtrees completed by leaves [size, size + leafHashes.length), in storage order,
 * with the given leaf hashes at level 0. The table's primary key would catch overlaps; holes it
 * could not.
 */
export function checkAppendPlan(
  size: number,
  leafHashes: readonly Uint8Array[],
  plan: AppendPlan,
): void {
  const newSize = size + leafHashes.length;
  const first = storedHashCount(size);
  const expected = storedHashCount(newSize) - first;
  const fail = (state: string): never => {
    throw new StoreError("INVALID_PLAN", `Cannot append ${leafHashes.length} entries: ${state}`);
  };
  if (plan.rootHash.length !== HASH_SIZE) fail(`the root is ${plan.rootHash.length} bytes`);
  if (plan.stored.length !== expected) {
    fail(`the plan stores ${plan.stored.length} hashes, not ${expected}`);
  }
  for (const [i, stored] of plan.stored.entries()) {
    if (storedHashIndex(stored) !== first + i) {
      fail(`hash ${i} of the plan is subtree (${stored.level}, ${stored.index}), out of order`);
    }
    if (stored.hash.length !== HASH_SIZE)
      fail(`hash ${i} of the plan is ${stored.hash.length} bytes`);
    if (stored.level === 0 && !bytesEqual(stored.hash, leafHashes[stored.index - size]!)) {
      fail(`the plan's leaf hash for entry "${stored.index}" is not the entry's`);
    }
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
