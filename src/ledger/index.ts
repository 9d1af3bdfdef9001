/**
 * The ledger's foundations: RFC 9162 Merkle trees over stored hashes, C2SP tlog-tiles, and the
 * signed checkpoints (re-exported from crypto/note) that a ledger server and its clients need.
 */

export type {
  Checkpoint,
  NoteErrorCode,
  NoteSigner,
  NoteVerifier,
  OpenedCheckpoint,
} from "../crypto/note/index.js";
export {
  appendSignatures,
  cosignatureSigner,
  cosignatureVerifier,
  formatCheckpoint,
  generateNoteKeys,
  NoteError,
  openCheckpoint,
  parseCheckpoint,
  parseCosignature,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
} from "../crypto/note/index.js";
export { writeFileDurably } from "./durable-file.js";
export type { LedgerErrorCode } from "./ledger-error.js";
export { LedgerError } from "./ledger-error.js";
export type { AppendResult, StoredHash } from "./merkle/compact-range.js";
export {
  appendLeafHashes,
  compactRangeAddresses,
  compactRangeRoot,
  storedHashesForLeaves,
} from "./merkle/compact-range.js";
export { proveConsistency, verifyConsistency } from "./merkle/consistency.js";
export {
  EMPTY_TREE_HASH,
  HASH_SIZE,
  leafHash,
  nodeHash,
  RFC9162_LEAF_PREFIX,
  RFC9162_NODE_PREFIX,
} from "./merkle/hash.js";
export { proveInclusion, rootFromInclusionProof, verifyInclusion } from "./merkle/inclusion.js";
export { MemoryHashStore } from "./merkle/memory-hash-store.js";
export { storedHashCount, storedHashIndex } from "./merkle/stored-hashes.js";
export type { HashReader, LeafRange, SubtreeAddress } from "./merkle/subtree.js";
export { treeHash, treeHashAt } from "./merkle/tree-hash.js";
export {
  decodeEntryBundle,
  encodeEntryBundle,
  MAX_ENTRY_BUNDLE_SIZE,
  MAX_ENTRY_SIZE,
} from "./tiles/entry-bundle.js";
export type { EntryBundleCoordinates, Tile } from "./tiles/tile.js";
export { MAX_TILE_LEVEL, TILE_HEIGHT, TILE_WIDTH } from "./tiles/tile.js";
export { parseTile, readTile, tileHashAddresses } from "./tiles/tile-bytes.js";
export type { TileLevelCoverage } from "./tiles/tile-coverage.js";
export { tileCoverage, tilesAddedBetween, tilesForSize } from "./tiles/tile-coverage.js";
export {
  formatEntryBundlePath,
  formatTilePath,
  parseEntryBundlePath,
  parseTilePath,
} from "./tiles/tile-path.js";
