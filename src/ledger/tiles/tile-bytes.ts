import { LedgerError } from "../ledger-error.js";
import { HASH_SIZE } from "../merkle/hash.js";
import type { HashReader, SubtreeAddress } from "../merkle/subtree.js";
import { TILE_HEIGHT, TILE_WIDTH, type Tile } from "./tile.js";
import { assertTile } from "./tile-path.js";

/** The stored hashes a tile lists: level 8 * L, indexes N * 256 .. N * 256 + W - 1. */
export function tileHashAddresses(tile: Tile): SubtreeAddress[] {
  assertTile(tile);
  const level = tile.level * TILE_HEIGHT;
  const first = tile.index * TILE_WIDTH;
  return Array.from({ length: tile.width }, (_, i) => ({ level, index: first + i }));
}

/** A tile's bytes: its hashes concatenated (C2SP tlog-tiles: a full tile is 8,192 bytes). */
export async function readTile(tile: Tile, reader: HashReader): Promise<Uint8Array> {
  const addresses = tileHashAddresses(tile);
  const hashes = await reader.readHashes(addresses);
  if (hashes.length !== addresses.length || hashes.some((h) => h.length !== HASH_SIZE)) {
    throw new LedgerError(
      "STORAGE_INCONSISTENT",
      `Cannot build tile (${tile.level}, ${tile.index}): storage returned the wrong hashes`,
    );
  }
  const out = new Uint8Array(tile.width * HASH_SIZE);
  hashes.forEach((hash, i) => {
    out.set(hash, i * HASH_SIZE);
  });
  return out;
}

/** Splits fetched tile bytes into hashes; the width comes from the path or a verified checkpoint. */
export function parseTile(bytes: Uint8Array, width: number): Uint8Array[] {
  if (!Number.isSafeInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new LedgerError("OUT_OF_RANGE", `Cannot parse tile: width "${width}" is not 1..256`);
  }
  if (bytes.length !== width * HASH_SIZE) {
    throw new LedgerError(
      "MALFORMED_TILE",
      `Cannot parse tile of width ${width}: it is ${bytes.length} bytes, not ${width * HASH_SIZE}`,
    );
  }
  return Array.from({ length: width }, (_, i) => bytes.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
}
