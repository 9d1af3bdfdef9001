import { LedgerError } from "../ledger-error.js";
import { type EntryBundleCoordinates, MAX_TILE_LEVEL, TILE_WIDTH, type Tile } from "./tile.js";

/** Digits per path element of `<N>` (C2SP tlog-tiles: "zero-padded 3-digit path elements"). */
const INDEX_GROUP_DIGITS = 3;

/**
 * Longest path we parse: "tile/entries/" plus six groups (enough for 2^53) plus ".p/255".
 * Checked before any regular expression runs on attacker input.
 */
const MAX_PATH_LENGTH = 64;

const HASH_TILE_PATH =
  /^tile\/(0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;
const ENTRY_BUNDLE_PATH =
  /^tile\/entries\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/** `tile/<L>/<N>[.p/<W>]` for a hash tile, e.g. `tile/0/x001/x234/067.p/8`. */
export function formatTilePath(tile: Tile): string {
  assertTile(tile);
  return `tile/${tile.level}/${encodeIndex(tile.index)}${partialSuffix(tile.width)}`;
}

/** `tile/entries/<N>[.p/<W>]` for an entry bundle. */
export function formatEntryBundlePath(bundle: EntryBundleCoordinates): string {
  assertTile({ level: 0, ...bundle });
  return `tile/entries/${encodeIndex(bundle.index)}${partialSuffix(bundle.width)}`;
}

/** Parses the one canonical spelling of a hash-tile path; anything else is MALFORMED_TILE_PATH. */
export function parseTilePath(path: string): Tile {
  const match = path.length <= MAX_PATH_LENGTH ? HASH_TILE_PATH.exec(path) : null;
  if (match === null) throw malformed(path);
  const tile = {
    level: Number(match[1]),
    index: decodeIndex(path, match[2]!, match[3]!),
    width: decodeWidth(path, match[4]),
  };
  if (tile.level > MAX_TILE_LEVEL) throw malformed(path);
  assertTile(tile);
  return tile;
}

/** Parses the one canonical spelling of an entry-bundle path. */
export function parseEntryBundlePath(path: string): EntryBundleCoordinates {
  const match = path.length <= MAX_PATH_LENGTH ? ENTRY_BUNDLE_PATH.exec(path) : null;
  if (match === null) throw malformed(path);
  const bundle = {
    index: decodeIndex(path, match[1]!, match[2]!),
    width: decodeWidth(path, match[3]),
  };
  assertTile({ level: 0, ...bundle });
  return bundle;
}

/** 1234067 becomes `x001/x234/067`: all but the last group start with `x`. */
function encodeIndex(index: number): string {
  const digits = String(index);
  const padded = digits.padStart(
    Math.ceil(digits.length / INDEX_GROUP_DIGITS) * INDEX_GROUP_DIGITS,
    "0",
  );
  const groups: string[] = [];
  for (let i = 0; i < padded.length; i += INDEX_GROUP_DIGITS) {
    groups.push(padded.slice(i, i + INDEX_GROUP_DIGITS));
  }
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join("/");
}

function decodeIndex(path: string, prefixGroups: string, lastGroup: string): number {
  // A leading "x000/" group is a second spelling of the same tile; only the shortest is canonical.
  if (prefixGroups.startsWith("x000/")) throw malformed(path);
  const index = Number(prefixGroups.replaceAll("x", "").replaceAll("/", "") + lastGroup);
  if (!Number.isSafeInteger(index)) {
    throw new LedgerError("OUT_OF_RANGE", `Cannot parse tile path "${path}": index too large`);
  }
  return index;
}

function decodeWidth(path: string, width: string | undefined): number {
  if (width === undefined) return TILE_WIDTH;
  const value = Number(width);
  // C2SP tlog-tiles: `<W>` is "between 1 and 255"; a full tile has no `.p/` suffix.
  if (value >= TILE_WIDTH) throw malformed(path);
  return value;
}

function partialSuffix(width: number): string {
  return width === TILE_WIDTH ? "" : `.p/${width}`;
}

/** Throws unless the tile could exist in a tree of fewer than 2^53 leaves. */
export function assertTile(tile: Tile): void {
  const { level, index, width } = tile;
  if (!Number.isSafeInteger(level) || level < 0 || level > MAX_TILE_LEVEL) {
    throw new LedgerError("OUT_OF_RANGE", `Cannot use tile level "${level}": not 0..63`);
  }
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new LedgerError("OUT_OF_RANGE", `Cannot use tile index "${index}": not a safe integer`);
  }
  if (!Number.isSafeInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new LedgerError("OUT_OF_RANGE", `Cannot use tile width "${width}": not 1..256`);
  }
  // The tile's first hash covers leaves up to (index * 256 + 1) * 256^level.
  if (!Number.isSafeInteger((index * TILE_WIDTH + 1) * TILE_WIDTH ** level)) {
    throw new LedgerError(
      "OUT_OF_RANGE",
      `Cannot use tile (${level}, ${index}): it starts past 2^53 leaves`,
    );
  }
}

function malformed(path: string): LedgerError {
  const shown = path.length <= MAX_PATH_LENGTH ? path : `${path.slice(0, MAX_PATH_LENGTH)}...`;
  return new LedgerError("MALFORMED_TILE_PATH", `Cannot parse tile path "${shown}": not canonical`);
}
