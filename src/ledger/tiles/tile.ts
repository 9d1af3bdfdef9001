/** Hashes in a full tile (C2SP tlog-tiles "Full tiles MUST be exactly 256 hashes wide"). */
export const TILE_WIDTH = 256;

/** Tree levels spanned by one tile level: 256 = 2^8 (C2SP tlog-tiles "subtree of height 8"). */
export const TILE_HEIGHT = 8;

/** Highest tile level a path may name (C2SP tlog-tiles: `<L>` "between 0 and 63"). */
export const MAX_TILE_LEVEL = 63;

/**
 * One tile: the `width` consecutive hashes at tree level 8 * level starting at hash
 * index * 256 (C2SP tlog-tiles "Merkle Tree"). Width 256 is a full tile, 1..255 a partial one.
 * An entry bundle has the same index and width with no level.
 */
export interface Tile {
  readonly level: number;
  readonly index: number;
  readonly width: number;
}

/** The coordinates of an entry bundle (C2SP tlog-tiles "Log entries"). */
export interface EntryBundleCoordinates {
  readonly index: number;
  readonly width: number;
}
