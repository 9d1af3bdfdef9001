/** Hostile indexes, sizes and proof shapes, built in code: each fails with its own code. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { proveConsistency, verifyConsistency } from "./consistency.js";
import { leafHash } from "./hash.js";
import { proveInclusion, verifyInclusion } from "./inclusion.js";
import { MemoryHashStore } from "./memory-hash-store.js";

const store = new MemoryHashStore();
store.append(Array.from({ length: 20 }, (_, i) => leafHash(Uint8Array.of(i))));
const h = new Uint8Array(32);
const NOT_SIZES = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, Number.MAX_VALUE];

describe("inclusion input checks", () => {
  it("an index at or past the tree size is OUT_OF_RANGE", async () => {
    assert.throws(() => verifyInclusion(h, 5, 5, [], h), { code: "OUT_OF_RANGE" });
    assert.throws(() => verifyInclusion(h, 0, 0, [], h), { code: "OUT_OF_RANGE" });
    await assert.rejects(proveInclusion(20, 20, store), { code: "OUT_OF_RANGE" });
  });

  it("negative, fractional, infinite and unsafe numbers are OUT_OF_RANGE", async () => {
    for (const bad of NOT_SIZES) {
      assert.throws(() => verifyInclusion(h, bad, 10, [], h), { code: "OUT_OF_RANGE" });
      assert.throws(() => verifyInclusion(h, 0, bad, [], h), { code: "OUT_OF_RANGE" });
      await assert.rejects(proveInclusion(bad, 10, store), { code: "OUT_OF_RANGE" });
    }
  });

  it("a proof of the wrong length is MALFORMED_PROOF before any hashing", () => {
    assert.throws(() => verifyInclusion(h, 0, 1, [h], h), { code: "MALFORMED_PROOF" });
    assert.throws(() => verifyInclusion(h, 3, 8, [h, h], h), { code: "MALFORMED_PROOF" });
    const huge = Array.from({ length: 10_000 }, () => h);
    assert.throws(() => verifyInclusion(h, 3, 8, huge, h), { code: "MALFORMED_PROOF" });
  });

  it("hashes that are not 32 bytes are MALFORMED_HASH", () => {
    assert.throws(() => verifyInclusion(new Uint8Array(31), 0, 2, [h], h), {
      code: "MALFORMED_HASH",
    });
    assert.throws(() => verifyInclusion(h, 0, 2, [new Uint8Array(64)], h), {
      code: "MALFORMED_HASH",
    });
    assert.throws(() => verifyInclusion(h, 0, 2, [h], new Uint8Array(0)), {
      code: "MALFORMED_HASH",
    });
  });
});

describe("consistency input checks", () => {
  it("old size 0, old > new and unsafe numbers are OUT_OF_RANGE", async () => {
    assert.throws(() => verifyConsistency(0, 5, h, h, []), { code: "OUT_OF_RANGE" });
    assert.throws(() => verifyConsistency(6, 5, h, h, []), { code: "OUT_OF_RANGE" });
    await assert.rejects(proveConsistency(0, 5, store), { code: "OUT_OF_RANGE" });
    await assert.rejects(proveConsistency(6, 5, store), { code: "OUT_OF_RANGE" });
    for (const bad of NOT_SIZES) {
      assert.throws(() => verifyConsistency(bad, 10, h, h, []), { code: "OUT_OF_RANGE" });
      assert.throws(() => verifyConsistency(1, bad, h, h, []), { code: "OUT_OF_RANGE" });
    }
  });

  it("an empty proof between different sizes is MALFORMED_PROOF (RFC 9162 §2.1.4.2 step 1)", () => {
    assert.throws(() => verifyConsistency(4, 8, h, h, []), { code: "MALFORMED_PROOF" });
  });

  it("too long a proof is MALFORMED_PROOF", () => {
    const huge = Array.from({ length: 10_000 }, () => h);
    assert.throws(() => verifyConsistency(3, 7, h, h, huge), { code: "MALFORMED_PROOF" });
  });

  it("hashes that are not 32 bytes are MALFORMED_HASH", () => {
    assert.throws(() => verifyConsistency(1, 2, new Uint8Array(1), h, [h]), {
      code: "MALFORMED_HASH",
    });
    assert.throws(() => verifyConsistency(1, 2, h, h, [new Uint8Array(33)]), {
      code: "MALFORMED_HASH",
    });
  });

  it("proving past the stored tree fails instead of inventing hashes", async () => {
    await assert.rejects(proveConsistency(5, 21, store), { code: "OUT_OF_RANGE" });
    await assert.rejects(proveInclusion(3, 21, store), { code: "OUT_OF_RANGE" });
  });
});
