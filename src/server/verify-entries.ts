/**
 * `ledger verify --full`: downloads every entry the checkpoint covers (entry bundles, falling back
 * to the raw endpoint entry by entry) and recomputes the RFC 9162 tree. When the root differs it
 * locates the damage: the server's level-0 hash tiles are trusted only if they hash to the signed
 * root, and then every entry whose leaf hash differs from its tile hash is reported by index.
 */
import {
  appendLeafHashes,
  compactRangeRoot,
  HASH_SIZE,
  leafHash,
  type StoredHash,
  TILE_WIDTH,
} from "../ledger/index.js";
import type { LedgerClient } from "./ledger-client.js";

/** Bundles or tiles fetched at once. */
const CONCURRENCY = 8;

export interface EntryProblem {
  /** The entry that is missing, unreadable or does not match; absent when none can be named. */
  readonly index?: number;
  readonly message: string;
}

export async function verifyEntries(
  client: LedgerClient,
  size: number,
  rootHash: Uint8Array,
): Promise<EntryProblem[]> {
  const leaves = Buffer.alloc(size * HASH_SIZE);
  const problems: EntryProblem[] = [];
  const unreadable = new Set<number>();
  await forEachBundle(size, async (bundle, width) => {
    const start = bundle * TILE_WIDTH;
    let entries: readonly (Uint8Array | undefined)[];
    try {
      entries = await client.entryBundle(bundle, width);
    } catch {
      // A bundle with a missing row fails as a whole; the raw endpoint names the entry.
      entries = await Promise.all(
        Array.from({ length: width }, (_, i) =>
          client.rawEntry(start + i).catch((error: unknown) => {
            unreadable.add(start + i);
            problems.push({
              index: start + i,
              message: `entry ${start + i} cannot be read: ${describe(error)}`,
            });
            return undefined;
          }),
        ),
      );
    }
    entries.forEach((entry, i) => {
      if (entry !== undefined) leaves.set(leafHash(entry), (start + i) * HASH_SIZE);
    });
  });
  if (unreadable.size === 0 && equal(rootOf(leaves, size), rootHash)) return [];
  const tiles = await fetchLeafTiles(client, size);
  if (tiles === undefined || !equal(rootOf(tiles, size), rootHash)) {
    problems.push({
      message:
        "the entries do not hash to the checkpoint's root and the server's hash tiles do not either: its stored hashes were rewritten too",
    });
    if (tiles === undefined) return sortProblems(problems);
  }
  for (let i = 0; i < size; i++) {
    if (unreadable.has(i)) continue;
    const at = i * HASH_SIZE;
    if (!leaves.subarray(at, at + HASH_SIZE).equals(tiles.subarray(at, at + HASH_SIZE))) {
      problems.push({
        index: i,
        message: `entry ${i} does not match the leaf hash the checkpoint covers`,
      });
    }
  }
  if (problems.length === 0) {
    problems.push({ message: "the entries do not hash to the checkpoint's root" });
  }
  return sortProblems(problems);
}

/** The server's stored leaf hashes (level-0 tiles), or undefined if any tile cannot be read. */
async function fetchLeafTiles(client: LedgerClient, size: number): Promise<Buffer | undefined> {
  const out = Buffer.alloc(size * HASH_SIZE);
  let failed = false;
  await forEachBundle(size, async (tile, width) => {
    try {
      const hashes = await client.tile(0, tile, width);
      hashes.forEach((hash, i) => {
        out.set(hash, (tile * TILE_WIDTH + i) * HASH_SIZE);
      });
    } catch {
      failed = true;
    }
  });
  return failed ? undefined : out;
}

/** RFC 9162 MTH of `size` leaf hashes packed in a buffer, one tile at a time (O(log n) peaks). */
function rootOf(leaves: Buffer, size: number): Uint8Array {
  let peaks: readonly StoredHash[] = [];
  for (let start = 0; start < size; start += TILE_WIDTH) {
    const end = Math.min(size, start + TILE_WIDTH);
    const hashes = Array.from({ length: end - start }, (_, i) =>
      leaves.subarray((start + i) * HASH_SIZE, (start + i + 1) * HASH_SIZE),
    );
    peaks = appendLeafHashes(start, peaks, hashes).peaks;
  }
  return compactRangeRoot(peaks);
}

async function forEachBundle(
  size: number,
  visit: (bundle: number, width: number) => Promise<void>,
): Promise<void> {
  const count = Math.ceil(size / TILE_WIDTH);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const bundle = next++;
      await visit(bundle, Math.min(TILE_WIDTH, size - bundle * TILE_WIDTH));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

function sortProblems(problems: EntryProblem[]): EntryProblem[] {
  return problems.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
