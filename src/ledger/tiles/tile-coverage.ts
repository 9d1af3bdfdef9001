import { assertTreeSize } from "../merkle/tree-math.js";
import { TILE_WIDTH, type Tile } from "./tile.js";

/** How one tile level covers a tree: `full` full tiles, then one partial tile if `partial` > 0. */
export interface TileLevelCoverage {
  readonly level: number;
  readonly full: number;
  readonly partial: number;
}

/**
 * Per level, the tiles of a tree of `size` leaves (C2SP tlog-tiles "Partial Tiles"): level l has
 * floor(size / 256^(l+1)) full tiles and a partial tile of floor(size / 256^l) mod 256 hashes.
 * Levels stop at the first with no hash at all; the empty tree has no tiles.
 */
export function tileCoverage(size: number): TileLevelCoverage[] {
  assertTreeSize(size, "tree size");
  const out: TileLevelCoverage[] = [];
  for (
    let level = 0, hashes = size;
    hashes > 0;
    level++, hashes = Math.floor(hashes / TILE_WIDTH)
  ) {
    out.push({ level, full: Math.floor(hashes / TILE_WIDTH), partial: hashes % TILE_WIDTH });
  }
  return out;
}

/** Every tile of a tree of `size` leaves, level by level; lazily, since big logs have millions. */
export function* tilesForSize(size: number): Generator<Tile> {
  yield* tilesAddedBetween(0, size);
}

/**
 * The tiles that exist at `newSize` but not at `oldSize`: full tiles completed by the growth and
 * the new partial tiles. What a server writes after publishing the checkpoint of `newSize`.
 */
export function* tilesAddedBetween(oldSize: number, newSize: number): Generator<Tile> {
  assertTreeSize(oldSize, "old tree size");
  const before = tileCoverage(oldSize);
  for (const now of tileCoverage(newSize)) {
    const then = before[now.level] ?? { level: now.level, full: 0, partial: 0 };
    for (let index = then.full; index < now.full; index++) {
      yield { level: now.level, index, width: TILE_WIDTH };
    }
    if (now.partial > 0 && (now.full !== then.full || now.partial !== then.partial)) {
      yield { level: now.level, index: now.full, width: now.partial };
    }
  }
}
