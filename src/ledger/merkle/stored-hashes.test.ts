import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toBase64 } from "../test-support/go-vectors.js";
import {
  appendLeafHashes,
  compactRangeAddresses,
  compactRangeRoot,
  type StoredHash,
  storedHashesForLeaves,
} from "./compact-range.js";
import { EMPTY_TREE_HASH, leafHash, nodeHash } from "./hash.js";
import { MemoryHashStore } from "./memory-hash-store.js";
import { storedHashCount, storedHashIndex } from "./stored-hashes.js";
import type { HashReader, SubtreeAddress } from "./subtree.js";
import { treeHash } from "./tree-hash.js";

const leaves = Array.from({ length: 600 }, (_, i) => leafHash(Uint8Array.of(i % 256, i >> 8)));

describe("stored-hash layout", () => {
  it("storedHashIndex numbers every complete subtree densely in append order", () => {
    const store = new MemoryHashStore();
    let next = 0;
    for (const [i, leaf] of leaves.entries()) {
      for (const stored of store.append([leaf])) {
        assert.equal(storedHashIndex(stored), next, `(${stored.level}, ${stored.index})`);
        next++;
      }
      assert.equal(storedHashCount(i + 1), next);
    }
  });

  it("appending leaf 3 stores the leaf, then the level 1 and level 2 subtrees it completes", () => {
    const result = appendLeafHashes(0, [], leaves.slice(0, 4));
    const shape = result.stored.map((s) => `${s.level}/${s.index}`);
    assert.deepEqual(shape, ["0/0", "0/1", "1/0", "0/2", "0/3", "1/1", "2/0"]);
    assert.deepEqual(result.stored.at(-1)!.hash, treeHash(leaves.slice(0, 4)));
    assert.deepEqual(result.stored[2]!.hash, nodeHash(leaves[0]!, leaves[1]!));
  });

  it("works for indexes past 2^32 with arithmetic, not 32-bit shifts", () => {
    const level = 3;
    const index = 2 ** 40 + 5;
    const lastLeaf = (index + 1) * 2 ** level - 1;
    assert.equal(storedHashIndex({ level, index }), storedHashCount(lastLeaf) + level);
    assert.equal(storedHashCount(2 ** 52), 2 ** 53 - 1);
    assert.deepEqual(
      compactRangeAddresses(2 ** 40 + 3).map((a) => `${a.level}/${a.index}`),
      ["40/0", "1/549755813888", "0/1099511627778"],
    );
  });

  it("the empty tree has no peaks and the RFC 9162 empty root", () => {
    assert.deepEqual(compactRangeAddresses(0), []);
    assert.deepEqual(compactRangeRoot([]), EMPTY_TREE_HASH);
    assert.equal(
      toBase64(EMPTY_TREE_HASH),
      Buffer.from(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "hex",
      ).toString("base64"),
    );
  });

  it("rejects subtrees outside a safe-integer tree", () => {
    assert.throws(() => storedHashIndex({ level: 53, index: 0 }), { code: "OUT_OF_RANGE" });
    assert.throws(() => storedHashIndex({ level: -1, index: 0 }), { code: "OUT_OF_RANGE" });
    assert.throws(() => storedHashIndex({ level: 52, index: 2 }), { code: "OUT_OF_RANGE" });
    assert.throws(() => storedHashIndex({ level: 0, index: 1.5 }), { code: "OUT_OF_RANGE" });
    assert.throws(() => storedHashCount(-1), { code: "OUT_OF_RANGE" });
    assert.throws(() => storedHashCount(2 ** 53), { code: "OUT_OF_RANGE" });
  });
});

describe("appending in batches", () => {
  it("any split into batches stores the same hashes as one leaf at a time", () => {
    const oneByOne = new MemoryHashStore();
    const all: StoredHash[] = [];
    for (const leaf of leaves) all.push(...oneByOne.append([leaf]));
    for (const batch of [1, 2, 3, 7, 64, 255, 256, 257, 600]) {
      const store = new MemoryHashStore();
      const stored: StoredHash[] = [];
      for (let at = 0; at < leaves.length; at += batch) {
        stored.push(...store.append(leaves.slice(at, at + batch)));
      }
      assert.deepEqual(stored, all, `batch ${batch}`);
      assert.deepEqual(store.root, oneByOne.root);
    }
  });

  it("storedHashesForLeaves reads only the current peaks, in one call", async () => {
    const store = new MemoryHashStore();
    store.append(leaves.slice(0, 300));
    const calls: SubtreeAddress[][] = [];
    const reader: HashReader = {
      readHashes: (addresses) => {
        calls.push([...addresses]);
        return store.readHashes(addresses);
      },
    };
    const stored = await storedHashesForLeaves(300, leaves.slice(300, 310), reader);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0], compactRangeAddresses(300));
    assert.deepEqual(stored, store.append(leaves.slice(300, 310)));
  });

  it("a reader that returns too few or short hashes is STORAGE_INCONSISTENT", async () => {
    const short: HashReader = { readHashes: (a) => a.slice(1).map(() => new Uint8Array(32)) };
    await assert.rejects(storedHashesForLeaves(5, [leaves[0]!], short), {
      code: "STORAGE_INCONSISTENT",
    });
    const truncated: HashReader = { readHashes: (a) => a.map(() => new Uint8Array(31)) };
    await assert.rejects(storedHashesForLeaves(5, [leaves[0]!], truncated), {
      code: "STORAGE_INCONSISTENT",
    });
  });

  it("peaks that are not the tree's compact range are STORAGE_INCONSISTENT", () => {
    const { peaks } = appendLeafHashes(0, [], leaves.slice(0, 5));
    assert.throws(() => appendLeafHashes(6, peaks, [leaves[0]!]), {
      code: "STORAGE_INCONSISTENT",
    });
    assert.throws(() => appendLeafHashes(5, peaks.slice(1), [leaves[0]!]), {
      code: "STORAGE_INCONSISTENT",
    });
  });

  it("a leaf hash that is not 32 bytes is MALFORMED_HASH", () => {
    assert.throws(() => appendLeafHashes(0, [], [new Uint8Array(33)]), { code: "MALFORMED_HASH" });
    assert.throws(() => treeHash([leaves[0]!, new Uint8Array(0)]), { code: "MALFORMED_HASH" });
  });

  it("reading a subtree the store does not have yet is OUT_OF_RANGE", () => {
    const store = new MemoryHashStore();
    store.append(leaves.slice(0, 4));
    assert.throws(() => store.readHashes([{ level: 3, index: 0 }]), { code: "OUT_OF_RANGE" });
  });
});
