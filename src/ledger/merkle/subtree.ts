import { LedgerError } from "../ledger-error.js";
import { HASH_SIZE, nodeHash } from "./hash.js";

/**
 * A complete subtree: the 2^level leaves starting at leaf index * 2^level. Level 0 addresses are
 * leaf hashes. Every hash a log ever needs to store is the hash of one complete subtree.
 */
export interface SubtreeAddress {
  readonly level: number;
  readonly index: number;
}

/** A half-open range of leaves [start, end) whose RFC 9162 MTH a proof contains. */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Storage of complete-subtree hashes. The server answers from its stored hashes (see
 * `storedHashIndex`) so no proof ever rehashes the log. One call per proof: implementations can
 * turn it into one database query. Sync results are accepted for embedded stores.
 */
export interface HashReader {
  readHashes(
    addresses: readonly SubtreeAddress[],
  ): Promise<readonly Uint8Array[]> | readonly Uint8Array[];
}

/**
 * The complete subtrees covering [start, end), largest first. Each is the largest aligned subtree
 * that starts at the current position and fits, so folding their hashes from the right gives
 * MTH(D[start:end]) whenever start is aligned to a power of two >= end - start, which holds for
 * every range of a proof and for the whole tree [0, size).
 */
export function rangeSubtrees(range: LeafRange): SubtreeAddress[] {
  const out: SubtreeAddress[] = [];
  let position = range.start;
  while (position < range.end) {
    let level = 0;
    let width = 1;
    while (position % (width * 2) === 0 && position + width * 2 <= range.end) {
      width *= 2;
      level++;
    }
    out.push({ level, index: position / width });
    position += width;
  }
  return out;
}

/** Folds complete-subtree hashes (largest first) into the hash of the range they cover. */
export function foldRight(hashes: readonly Uint8Array[]): Uint8Array {
  let acc = hashes[hashes.length - 1];
  if (acc === undefined) throw new RangeError("Cannot fold hashes: the list is empty");
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

/** Reads every subtree the ranges need in one `readHashes` call and returns one MTH per range. */
export async function readRangeHashes(
  ranges: readonly LeafRange[],
  reader: HashReader,
): Promise<Uint8Array[]> {
  const parts = ranges.map(rangeSubtrees);
  const addresses = parts.flat();
  const hashes = await readChecked(addresses, reader);
  const out: Uint8Array[] = [];
  let offset = 0;
  for (const part of parts) {
    out.push(foldRight(hashes.slice(offset, offset + part.length)));
    offset += part.length;
  }
  return out;
}

async function readChecked(
  addresses: readonly SubtreeAddress[],
  reader: HashReader,
): Promise<readonly Uint8Array[]> {
  if (addresses.length === 0) return [];
  const hashes = await reader.readHashes(addresses);
  if (hashes.length !== addresses.length) {
    throw new LedgerError(
      "STORAGE_INCONSISTENT",
      `Cannot read stored hashes: asked for ${addresses.length}, got ${hashes.length}`,
    );
  }
  for (const [i, hash] of hashes.entries()) {
    if (hash.length !== HASH_SIZE) {
      const at = addresses[i]!;
      throw new LedgerError(
        "STORAGE_INCONSISTENT",
        `Cannot read stored hash (${at.level}, ${at.index}): it is ${hash.length} bytes`,
      );
    }
  }
  return hashes;
}
