/** The public API end to end: what the ledger server and its clients will do. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeEntryBundle,
  encodeEntryBundle,
  formatTilePath,
  generateNoteKeys,
  leafHash,
  MemoryHashStore,
  openCheckpoint,
  parseSignerKey,
  parseTile,
  parseVerifierKey,
  proveConsistency,
  proveInclusion,
  readTile,
  signCheckpoint,
  storedHashesForLeaves,
  tilesAddedBetween,
  verifyConsistency,
  verifyInclusion,
} from "./index.js";

const ORIGIN = "ledger.example/pipeline";
const keys = generateNoteKeys(ORIGIN);
const logSigner = parseSignerKey(keys.signerKey);
const logKey = parseVerifierKey(keys.verifierKey);
const entries = Array.from({ length: 700 }, (_, i) =>
  new TextEncoder().encode(JSON.stringify({ event: "scan", index: i })),
);

describe("ledger API", () => {
  it("a log appends, signs checkpoints and serves tiles; a client checks entries and growth", async () => {
    const store = new MemoryHashStore();
    // The server appends a batch, storing exactly the hashes storedHashesForLeaves returns.
    const first = entries.slice(0, 300).map(leafHash);
    const stored = await storedHashesForLeaves(0, first, store);
    assert.deepEqual(store.append(first), stored);
    const old = signCheckpoint(
      { origin: ORIGIN, size: store.size, rootHash: store.root, extensions: [] },
      [logSigner],
    );
    store.append(entries.slice(300).map(leafHash));
    const now = signCheckpoint(
      { origin: ORIGIN, size: store.size, rootHash: store.root, extensions: [] },
      [logSigner],
    );

    // New tiles to publish after growing 300 -> 700.
    const tiles = [...tilesAddedBetween(300, 700)].map(formatTilePath);
    assert.deepEqual(tiles, ["tile/0/001", "tile/0/002.p/188", "tile/1/000.p/2"]);
    const tile = parseTile(await readTile({ level: 0, index: 2, width: 188 }, store), 188);
    const bundle = encodeEntryBundle(entries.slice(512, 700));
    assert.deepEqual(decodeEntryBundle(bundle, 188).map(leafHash), tile);

    // The client trusts only the log's key and origin.
    const a = openCheckpoint(old, ORIGIN, [logKey]).checkpoint;
    const b = openCheckpoint(now, ORIGIN, [logKey]).checkpoint;
    verifyConsistency(
      a.size,
      b.size,
      a.rootHash,
      b.rootHash,
      await proveConsistency(300, 700, store),
    );
    const leaf = leafHash(entries[650]!);
    verifyInclusion(leaf, 650, b.size, await proveInclusion(650, 700, store), b.rootHash);
    assert.throws(() => verifyInclusion(leafHash(entries[651]!), 650, b.size, [], b.rootHash), {
      code: "MALFORMED_PROOF",
    });
  });
});
