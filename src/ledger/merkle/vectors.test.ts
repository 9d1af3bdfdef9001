import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { flipBit, fromBase64, loadGoVectors, toBase64 } from "../test-support/go-vectors.js";
import { proveConsistency, verifyConsistency } from "./consistency.js";
import { leafHash } from "./hash.js";
import { proveInclusion, verifyInclusion } from "./inclusion.js";
import { MemoryHashStore } from "./memory-hash-store.js";
import { treeHash, treeHashAt } from "./tree-hash.js";

const vectors = loadGoVectors();
const leafHashes = vectors.leaves.map((leaf) => leafHash(fromBase64(leaf)));
const store = new MemoryHashStore();
store.append(leafHashes);
const root = (size: number) => fromBase64(vectors.roots[size - 1]!);

describe("Go sumdb/tlog vectors", () => {
  it("treeHash, treeHashAt and the store's root reproduce every root", async () => {
    const incremental = new MemoryHashStore();
    for (let size = 1; size <= leafHashes.length; size++) {
      incremental.append([leafHashes[size - 1]!]);
      const expected = vectors.roots[size - 1];
      assert.equal(toBase64(treeHash(leafHashes.slice(0, size))), expected);
      assert.equal(toBase64(await treeHashAt(size, store)), expected);
      assert.equal(toBase64(incremental.root), expected);
    }
  });

  it("proveInclusion reproduces all 123 inclusion proofs byte for byte", async () => {
    assert.equal(vectors.inclusion.length, 123);
    for (const { Index, Size, Hashes } of vectors.inclusion) {
      const proof = await proveInclusion(Index, Size, store);
      assert.deepEqual(proof.map(toBase64), Hashes, `leaf ${Index} in ${Size}`);
    }
  });

  it("verifyInclusion accepts every Go inclusion proof", () => {
    for (const { Index, Size, Hashes } of vectors.inclusion) {
      verifyInclusion(leafHashes[Index]!, Index, Size, Hashes.map(fromBase64), root(Size));
    }
  });

  it("proveConsistency reproduces all 120 consistency proofs byte for byte", async () => {
    assert.equal(vectors.consistency.length, 120);
    for (const { Old, New, Hashes } of vectors.consistency) {
      const proof = await proveConsistency(Old, New, store);
      assert.deepEqual(proof.map(toBase64), Hashes, `${Old} -> ${New}`);
    }
  });

  it("verifyConsistency accepts every Go consistency proof", () => {
    for (const { Old, New, Hashes } of vectors.consistency) {
      verifyConsistency(Old, New, root(Old), root(New), Hashes.map(fromBase64));
    }
  });
});

describe("tampering with a Go vector fails verification with the right code", () => {
  const inclusion = vectors.inclusion.filter((v) => v.Hashes.length > 0);
  const consistency = vectors.consistency.filter((v) => v.Hashes.length > 0);

  it("any flipped bit in an inclusion proof, leaf or root is PROOF_MISMATCH", () => {
    for (const { Index, Size, Hashes } of inclusion) {
      const proof = Hashes.map(fromBase64);
      for (let at = 0; at < proof.length; at++) {
        const bad = proof.map((h, i) => (i === at ? flipBit(h, 7 * at + Index) : h));
        assert.throws(() => verifyInclusion(leafHashes[Index]!, Index, Size, bad, root(Size)), {
          code: "PROOF_MISMATCH",
        });
      }
      assert.throws(
        () => verifyInclusion(flipBit(leafHashes[Index]!), Index, Size, proof, root(Size)),
        { code: "PROOF_MISMATCH" },
      );
      assert.throws(
        () => verifyInclusion(leafHashes[Index]!, Index, Size, proof, flipBit(root(Size), 255)),
        { code: "PROOF_MISMATCH" },
      );
    }
  });

  it("another leaf's index, or another tree size of the same shape, is PROOF_MISMATCH", () => {
    // Leaf 5 of 8 with leaf 4's proof: same proof length, different position.
    const proof = vectors.inclusion.find((v) => v.Index === 4 && v.Size === 8)!.Hashes;
    assert.throws(() => verifyInclusion(leafHashes[4]!, 5, 8, proof.map(fromBase64), root(8)), {
      code: "PROOF_MISMATCH",
    });
    // Leaf 16 of 17 claimed for size 18 (one more hash needed): wrong length.
    const last = vectors.inclusion.find((v) => v.Index === 16 && v.Size === 17)!.Hashes;
    assert.throws(() => verifyInclusion(leafHashes[16]!, 16, 18, last.map(fromBase64), root(18)), {
      code: "MALFORMED_PROOF",
    });
  });

  it("any flipped bit in a consistency proof or either root is PROOF_MISMATCH", () => {
    for (const { Old, New, Hashes } of consistency) {
      const proof = Hashes.map(fromBase64);
      for (let at = 0; at < proof.length; at++) {
        const bad = proof.map((h, i) => (i === at ? flipBit(h, 13 * at + Old) : h));
        assert.throws(() => verifyConsistency(Old, New, root(Old), root(New), bad), {
          code: "PROOF_MISMATCH",
        });
      }
      assert.throws(() => verifyConsistency(Old, New, flipBit(root(Old)), root(New), proof), {
        code: "PROOF_MISMATCH",
      });
      assert.throws(() => verifyConsistency(Old, New, root(Old), flipBit(root(New)), proof), {
        code: "PROOF_MISMATCH",
      });
    }
  });

  it("equal sizes need equal roots and an empty proof", () => {
    verifyConsistency(7, 7, root(7), root(7), []);
    assert.throws(() => verifyConsistency(7, 7, root(7), root(6), []), {
      code: "PROOF_MISMATCH",
    });
    assert.throws(() => verifyConsistency(7, 7, root(7), root(7), [root(7)]), {
      code: "MALFORMED_PROOF",
    });
  });

  it("a dropped, extra or reordered proof hash is rejected", () => {
    const { Old, New, Hashes } = vectors.consistency.find((v) => v.Old === 6 && v.New === 18)!;
    const proof = Hashes.map(fromBase64);
    assert.ok(proof.length >= 2);
    assert.throws(() => verifyConsistency(Old, New, root(Old), root(New), proof.slice(1)), {
      code: "MALFORMED_PROOF",
    });
    assert.throws(() => verifyConsistency(Old, New, root(Old), root(New), [...proof, proof[0]!]), {
      code: "MALFORMED_PROOF",
    });
    assert.throws(() => verifyConsistency(Old, New, root(Old), root(New), [...proof].reverse()), {
      code: "PROOF_MISMATCH",
    });
  });
});
