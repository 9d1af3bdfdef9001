import {
  appendLeafHashes,
  compactRangeRoot,
  leafHash,
  type StoredHash,
  storedHashCount,
  storedHashIndex,
} from "../ledger/index.js";
import { bytesEqual } from "./append-plan.js";
import { MAX_READ_ENTRIES } from "./range-checks.js";
import type { CheckpointRecord, LogHead, Store } from "./store.js";

export interface LedgerStorageReport {
  readonly ok: boolean;
  /** The first entry index whose row or hashes are wrong, when one can be named. */
  readonly firstBadIndex?: number;
  readonly detail?: string;
}

export interface VerifyLedgerStorageOptions {
  /** Entries read per query (default 1000, at most 10,000). */
  readonly batchSize?: number;
}

const DEFAULT_BATCH = 1000;

/**
 * Start-up integrity check: rehashes every stored entry, rebuilds the tree from those leaf hashes
 * in batches (O(log n) memory: only the peaks are kept) and compares it with the stored leaf
 * hashes, every stored subtree hash, the head row and the newest checkpoint. An entry edited,
 * deleted or reordered directly in the database is reported at its index; hashes rewritten to
 * match an edit are caught by the signed checkpoint (without an index: the tree was rebuilt).
 */
export async function verifyLedgerStorage(
  store: Store,
  options: VerifyLedgerStorageOptions = {},
): Promise<LedgerStorageReport> {
  const batch = Math.min(Math.max(1, options.batchSize ?? DEFAULT_BATCH), MAX_READ_ENTRIES);
  const head = await store.readHead();
  const checkpoint = await store.latestCheckpoint();
  if (checkpoint !== undefined && checkpoint.size > head.size) {
    return bad(head.size, `the head has size ${head.size}, the checkpoint ${checkpoint.size}`);
  }
  let size = 0;
  let peaks: readonly StoredHash[] = [];
  for (;;) {
    const stop = batchEnd(size, head, checkpoint);
    const rows = await store.scanEntries(size, Math.min(batch, Math.max(stop - size, 1)));
    const first = rows[0];
    if (first === undefined) break;
    if (first.index !== size) {
      return size < head.size
        ? bad(size, `entry ${size} is missing`)
        : bad(head.size, `entry rows exist past the head size ${head.size}`);
    }
    if (size >= head.size)
      return bad(head.size, `entry rows exist past the head size ${head.size}`);
    let end = size;
    while (end < stop && rows[end - size]?.index === end) end++;
    const taken = rows.slice(0, end - size);
    const leafHashes = taken.map((row) => leafHash(row.entry));
    let firstBad: number | undefined;
    let detail = "";
    for (const [i, row] of taken.entries()) {
      if (!bytesEqual(leafHashes[i]!, row.leafHash)) {
        firstBad = row.index;
        detail = `entry ${row.index} does not hash to its stored leaf hash`;
        break;
      }
    }
    const appended = appendLeafHashes(size, peaks, leafHashes);
    const mismatch = await firstStoredMismatch(store, size, appended.stored);
    if (mismatch !== undefined && (firstBad === undefined || mismatch.index < firstBad)) {
      firstBad = mismatch.index;
      detail = mismatch.detail;
    }
    if (firstBad !== undefined) return bad(firstBad, detail);
    size = end;
    peaks = appended.peaks;
    if (checkpoint !== undefined && size === checkpoint.size) {
      if (!bytesEqual(compactRangeRoot(peaks), checkpoint.rootHash)) {
        return bad(undefined, `the entries do not hash to checkpoint ${checkpoint.size}'s root`);
      }
    }
  }
  if (size < head.size) return bad(size, `entry ${size} is missing`);
  if (!bytesEqual(compactRangeRoot(peaks), head.rootHash)) {
    return bad(undefined, "the entries do not hash to the head's root");
  }
  if (checkpoint?.size === 0 && !bytesEqual(compactRangeRoot([]), checkpoint.rootHash)) {
    return bad(undefined, "checkpoint 0's root is not the empty tree hash");
  }
  const extra = await store.scanStoredHashes(storedHashCount(size), storedHashCount(size) + 1);
  if (extra.length > 0) return bad(size, `stored hashes exist past the head size ${size}`);
  return { ok: true };
}

/** Where the next batch must end: at the head, and at the checkpoint so its root can be checked. */
function batchEnd(size: number, head: LogHead, checkpoint: CheckpointRecord | undefined): number {
  if (checkpoint !== undefined && size < checkpoint.size) return checkpoint.size;
  return Math.max(head.size, size + 1);
}

/** Compares recomputed subtree hashes with the stored rows; reports the subtree's first leaf. */
async function firstStoredMismatch(
  store: Store,
  size: number,
  expected: readonly StoredHash[],
): Promise<{ index: number; detail: string } | undefined> {
  const start = storedHashCount(size);
  const rows = await store.scanStoredHashes(start, start + expected.length);
  const found = new Map(rows.map((row) => [row.index, row.hash]));
  for (const want of expected) {
    const got = found.get(storedHashIndex(want));
    if (got === undefined || !bytesEqual(got, want.hash)) {
      const leaf = want.index * 2 ** want.level;
      const what = got === undefined ? "is missing" : "differs from the recomputed hash";
      return { index: leaf, detail: `stored hash (${want.level}, ${want.index}) ${what}` };
    }
  }
  return undefined;
}

function bad(index: number | undefined, detail: string): LedgerStorageReport {
  return index === undefined ? { ok: false, detail } : { ok: false, firstBadIndex: index, detail };
}
