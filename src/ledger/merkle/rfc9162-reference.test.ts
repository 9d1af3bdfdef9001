/**
 * Cross-checks the optimised Merkle code against a second implementation written here straight
 * from RFC 9162's recursive definitions (§2.1.1 MTH, §2.1.3.1 PATH, §2.1.4.1 PROOF/SUBPROOF) and a
 * bigint transcription of the verification algorithms (§2.1.3.2, §2.1.4.2) with real shifts.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { toBase64 } from "../test-support/go-vectors.js";
import { proveConsistency, verifyConsistency } from "./consistency.js";
import { proveInclusion, rootFromInclusionProof, verifyInclusion } from "./inclusion.js";
import { MemoryHashStore } from "./memory-hash-store.js";
import { treeHash, treeHashAt } from "./tree-hash.js";

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const H_LEAF = (d: Uint8Array) => sha256(Uint8Array.of(0x00), d);
const H_NODE = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(0x01), l, r);

/** k: the largest power of two smaller than n (n > 1). */
function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

/** MTH(D[n]) of RFC 9162 §2.1.1. */
function MTH(D: readonly Uint8Array[]): Uint8Array {
  if (D.length === 0) return sha256();
  if (D.length === 1) return H_LEAF(D[0]!);
  const s = k(D.length);
  return H_NODE(MTH(D.slice(0, s)), MTH(D.slice(s)));
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1. */
function PATH(m: number, D: readonly Uint8Array[]): Uint8Array[] {
  if (D.length === 1) return [];
  const s = k(D.length);
  if (m < s) return [...PATH(m, D.slice(0, s)), MTH(D.slice(s))];
  return [...PATH(m - s, D.slice(s)), MTH(D.slice(0, s))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 §2.1.4.1. */
function PROOF(m: number, D: readonly Uint8Array[]): Uint8Array[] {
  return SUBPROOF(m, D, true);
}

function SUBPROOF(m: number, D: readonly Uint8Array[], b: boolean): Uint8Array[] {
  const n = D.length;
  if (m === n) return b ? [] : [MTH(D)];
  const s = k(n);
  if (m <= s) return [...SUBPROOF(m, D.slice(0, s), b), MTH(D.slice(s))];
  return [...SUBPROOF(m - s, D.slice(s), false), MTH(D.slice(0, s))];
}

/** xorshift32 with a fixed seed: the same "random" indexes on every run. */
function rng(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const MAX_SIZE = 300;
const entries = Array.from({ length: MAX_SIZE }, (_, i) => new TextEncoder().encode(`entry ${i}`));
const store = new MemoryHashStore();
store.append(entries.map(H_LEAF));

describe("RFC 9162 recursive reference against the optimised code, sizes 1..300", () => {
  it("MTH equals treeHash, treeHashAt and the store's root at every size", async () => {
    const incremental = new MemoryHashStore();
    assert.deepEqual(treeHash([]), MTH([]));
    for (let n = 1; n <= MAX_SIZE; n++) {
      incremental.append([H_LEAF(entries[n - 1]!)]);
      const expected = toBase64(MTH(entries.slice(0, n)));
      assert.equal(toBase64(treeHash(entries.slice(0, n).map(H_LEAF))), expected, `size ${n}`);
      assert.equal(toBase64(await treeHashAt(n, store)), expected, `size ${n}`);
      assert.equal(toBase64(incremental.root), expected, `size ${n}`);
    }
  });

  it("PATH equals proveInclusion for first, last and random leaves, and verifies", async () => {
    const pick = rng(0x9162);
    for (let n = 1; n <= MAX_SIZE; n++) {
      const D = entries.slice(0, n);
      const root = MTH(D);
      const indexes = new Set([0, n - 1, pick(n), pick(n), pick(n)]);
      for (const m of indexes) {
        const expected = PATH(m, D);
        const proof = await proveInclusion(m, n, store);
        assert.deepEqual(proof.map(toBase64), expected.map(toBase64), `leaf ${m} of ${n}`);
        verifyInclusion(H_LEAF(D[m]!), m, n, expected, root);
      }
    }
  });

  it("PROOF equals proveConsistency for random old sizes, and verifies", async () => {
    const pick = rng(0x2104);
    for (let n = 1; n <= MAX_SIZE; n++) {
      const D = entries.slice(0, n);
      const olds = new Set([1, n, pick(n) + 1, pick(n) + 1, pick(n) + 1]);
      for (const m of olds) {
        const expected = PROOF(m, D);
        const proof = await proveConsistency(m, n, store);
        assert.deepEqual(proof.map(toBase64), expected.map(toBase64), `${m} -> ${n}`);
        verifyConsistency(m, n, MTH(D.slice(0, m)), MTH(D), expected);
      }
    }
  });
});

/** RFC 9162 §2.1.3.2 transcribed with bigint shifts; returns r, or undefined on failure. */
function referenceInclusionRoot(
  leaf: Uint8Array,
  index: bigint,
  size: bigint,
  path: readonly Uint8Array[],
): Uint8Array | undefined {
  if (index >= size) return undefined;
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return undefined;
    if ((fn & 1n) === 1n || fn === sn) {
      r = H_NODE(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = H_NODE(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? r : undefined;
}

/** RFC 9162 §2.1.4.2 transcribed with bigint shifts; returns (fr, sr), or undefined. */
function referenceConsistencyRoots(
  first: bigint,
  second: bigint,
  firstHash: Uint8Array,
  proof: readonly Uint8Array[],
): [Uint8Array, Uint8Array] | undefined {
  if (proof.length === 0) return undefined;
  const path = (first & (first - 1n)) === 0n ? [firstHash, ...proof] : [...proof];
  let fn = first - 1n;
  let sn = second - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) return undefined;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = H_NODE(c, fr);
      sr = H_NODE(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = H_NODE(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? [fr, sr] : undefined;
}

describe("verification arithmetic past 2^32 agrees with a bigint transcription", () => {
  const pick = rng(0x53);
  const big = (bits: number) => Math.floor(2 ** bits * (0.5 + pick(1_000_000) / 2_000_000));
  const hash = (i: number) => sha256(new TextEncoder().encode(`h${i}`));

  it("inclusion roots for random proofs in trees of up to 2^52 leaves", () => {
    for (let trial = 0; trial < 200; trial++) {
      const size = big(33 + (trial % 20));
      const index = trial % 3 === 0 ? size - 1 : Math.floor((size * pick(10_000)) / 10_000);
      let length = 0;
      for (let probe = 0; probe <= 64; probe++) {
        const proof = Array.from({ length: probe }, (_, i) => hash(i));
        if (referenceInclusionRoot(hash(-1), BigInt(index), BigInt(size), proof)) length = probe;
      }
      const proof = Array.from({ length }, (_, i) => hash(trial * 100 + i));
      const expected = referenceInclusionRoot(hash(-1), BigInt(index), BigInt(size), proof);
      assert.ok(expected, `size ${size} index ${index}`);
      assert.deepEqual(rootFromInclusionProof(hash(-1), index, size, proof), expected);
      verifyInclusion(hash(-1), index, size, proof, expected);
    }
  });

  it("consistency roots for random proofs between trees of up to 2^52 leaves", () => {
    for (let trial = 0; trial < 200; trial++) {
      const second = big(33 + (trial % 20));
      const first =
        trial % 4 === 0 ? 2 ** 32 : Math.max(1, Math.floor((second * pick(10_000)) / 10_000));
      let length = -1;
      for (let probe = 1; probe <= 128; probe++) {
        const proof = Array.from({ length: probe }, (_, i) => hash(i));
        if (referenceConsistencyRoots(BigInt(first), BigInt(second), hash(-1), proof)) {
          length = probe;
          break;
        }
      }
      assert.ok(length > 0, `${first} -> ${second}`);
      const proof = Array.from({ length }, (_, i) => hash(trial * 1000 + i));
      const roots = referenceConsistencyRoots(BigInt(first), BigInt(second), hash(-2), proof)!;
      verifyConsistency(first, second, roots[0], roots[1], proof);
      assert.throws(() => verifyConsistency(first, second, roots[0], hash(-3), proof), {
        code: "PROOF_MISMATCH",
      });
    }
  });
});
