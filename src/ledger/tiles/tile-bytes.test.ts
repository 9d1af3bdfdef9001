import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { leafHash } from "../merkle/hash.js";
import { MemoryHashStore } from "../merkle/memory-hash-store.js";
import type { HashReader } from "../merkle/subtree.js";
import { treeHash } from "../merkle/tree-hash.js";
import { parseTile, readTile, tileHashAddresses } from "./tile-bytes.js";

const leaves = Array.from({ length: 256 * 3 + 10 }, (_, i) =>
  leafHash(new TextEncoder().encode(`e${i}`)),
);
const store = new MemoryHashStore();
store.append(leaves);

describe("tile bytes", () => {
  it("a level 0 tile is the leaf hashes concatenated", async () => {
    const bytes = await readTile({ level: 0, index: 1, width: 256 }, store);
    assert.equal(bytes.length, 8192);
    assert.deepEqual(parseTile(bytes, 256), leaves.slice(256, 512));
  });

  it("a partial tile holds the first W hashes", async () => {
    const bytes = await readTile({ level: 0, index: 3, width: 10 }, store);
    assert.deepEqual(parseTile(bytes, 10), leaves.slice(768, 778));
  });

  it("a level 1 tile lists the tree hash of each full level 0 tile", async () => {
    const bytes = await readTile({ level: 1, index: 0, width: 3 }, store);
    const hashes = parseTile(bytes, 3);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(hashes[i], treeHash(leaves.slice(i * 256, (i + 1) * 256)));
    }
  });

  it("tile hash addresses sit at tree level 8 * L", () => {
    assert.deepEqual(tileHashAddresses({ level: 2, index: 1, width: 2 }), [
      { level: 16, index: 256 },
      { level: 16, index: 257 },
    ]);
  });

  it("a reader that returns the wrong hashes is STORAGE_INCONSISTENT", async () => {
    const bad: HashReader = { readHashes: (a) => a.map(() => new Uint8Array(16)) };
    await assert.rejects(readTile({ level: 0, index: 0, width: 2 }, bad), {
      code: "STORAGE_INCONSISTENT",
    });
  });
});

describe("parseTile refuses malformed tiles built in code", () => {
  it("bytes that are not exactly width hashes are MALFORMED_TILE", () => {
    assert.throws(() => parseTile(new Uint8Array(8191), 256), { code: "MALFORMED_TILE" });
    assert.throws(() => parseTile(new Uint8Array(8224), 256), { code: "MALFORMED_TILE" });
    assert.throws(() => parseTile(new Uint8Array(64), 1), { code: "MALFORMED_TILE" });
    assert.throws(() => parseTile(new Uint8Array(0), 1), { code: "MALFORMED_TILE" });
  });

  it("a width outside 1..256 is OUT_OF_RANGE", () => {
    for (const width of [0, 257, -1, 1.5]) {
      assert.throws(() => parseTile(new Uint8Array(32), width), { code: "OUT_OF_RANGE" });
    }
  });
});
