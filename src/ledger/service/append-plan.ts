/**
 * What an append stores, computed inside the store's log-wide lock: the tree's peaks are read in
 * one query (at most one hash per set bit of the size), the new leaf hashes are pushed onto them
 * in memory, and every completed subtree plus the new root come back (RFC 9162 §2.1.1).
 */

import type { AppendPlan } from "../../store/store.js";
import {
  appendLeafHashes,
  compactRangeAddresses,
  compactRangeRoot,
  LedgerError,
  type SubtreeAddress,
} from "../index.js";

export async function planAppend(
  size: number,
  leafHashes: readonly Uint8Array[],
  readHashes: (addresses: readonly SubtreeAddress[]) => Promise<readonly Uint8Array[]>,
): Promise<AppendPlan> {
  const addresses = compactRangeAddresses(size);
  const hashes = addresses.length === 0 ? [] : await readHashes(addresses);
  if (hashes.length !== addresses.length) {
    throw new LedgerError(
      "STORAGE_INCONSISTENT",
      `Cannot read tree peaks: asked for ${addresses.length}, got ${hashes.length}`,
    );
  }
  const peaks = addresses.map((address, i) => ({ ...address, hash: hashes[i]! }));
  const result = appendLeafHashes(size, peaks, leafHashes);
  return { stored: result.stored, rootHash: compactRangeRoot(result.peaks) };
}
