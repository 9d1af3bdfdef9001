/**
 * Mutation fuzzing over the real fixture corpus: thousands of damaged files, each of which must
 * get a report (no exception, no hang), and truncated files must never come out `clean`.
 * Deterministic: the seed is fixed so a failure reproduces.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { readPickleStreams } from "../formats/pickle/index.js";
import { scanBuffer } from "./scan-file.js";

const ROOT = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const MUTATIONS_PER_FILE = 40;
const TRUNCATIONS_PER_FILE = 12;
/** Far above any single scan here; a hang or a super-linear blow-up crosses it. */
const MAX_SCAN_MS = 5_000;
/** Shortest remnant of a non-pickle file that still says which format it was. */
const MIN_HEADER_REMNANT = 8;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return entry.name.endsWith(".json") || entry.name.endsWith(".md") ? [] : [path];
  });
}

/**
 * A generator per file, seeded from its path under fixtures/: files added elsewhere in the corpus
 * (other areas' fixtures) do not shift the mutations and cuts this file gets.
 */
function fileRng(base: number, path: string): () => number {
  let hash = 0x811c9dc5; // FNV-1a 32-bit offset basis
  for (const byte of Buffer.from(relative(ROOT, path))) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return rng(base ^ hash);
}

/** xorshift32: small, fast, and the same sequence on every machine. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x2e, 0x28, 0x93, 0x95, 0x0a, 0x50];

function mutate(input: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  const out = Uint8Array.from(input);
  switch (pick(5)) {
    case 0: {
      for (let i = 0; i < 1 + pick(4); i++) out[pick(out.length)] = pick(256);
      return out;
    }
    case 1: {
      out[pick(out.length)] = INTERESTING[pick(INTERESTING.length)] as number;
      return out;
    }
    case 2: {
      const at = pick(out.length);
      const chunk = input.subarray(pick(input.length), pick(input.length) + 64);
      return Uint8Array.from([...input.subarray(0, at), ...chunk, ...input.subarray(at)]);
    }
    case 3: {
      const at = pick(out.length);
      return Uint8Array.from([...input.subarray(0, at), ...input.subarray(at + 1 + pick(32))]);
    }
    default: {
      if (out.length < 4) return out;
      // Lengths are the favourite target: overwrite four bytes with a large little-endian value.
      const at = pick(Math.max(1, out.length - 4));
      out.set([0xff, 0xff, 0xff, pick(2) ? 0x7f : 0xff], at);
      return out;
    }
  }
}

/** Offsets where a prefix of the input is itself a complete pickle (a legitimate clean cut). */
function streamBoundaries(bytes: Uint8Array): Set<number> {
  return new Set(
    readPickleStreams(bytes, 0, { maxStreams: 64 })
      .filter((s) => s.error === undefined)
      .map((s) => s.end),
  );
}

const corpus = files(ROOT).map((path) => ({ path, bytes: new Uint8Array(readFileSync(path)) }));

describe("fuzzing scanBuffer() with mutated fixtures", () => {
  it(`reports on ${corpus.length * MUTATIONS_PER_FILE} mutated files without crashing or hanging`, async () => {
    let scanned = 0;
    for (const { path, bytes } of corpus) {
      const random = fileRng(0x7a11, path);
      if (bytes.length === 0) continue;
      for (let i = 0; i < MUTATIONS_PER_FILE; i++) {
        const input = mutate(bytes, random);
        const started = performance.now();
        const result = await scanBuffer(input, path);
        const took = performance.now() - started;
        assert.ok(took < MAX_SCAN_MS, `${path} mutation ${i} took ${took} ms`);
        assert.ok(["clean", "suspicious", "dangerous", "unscannable"].includes(result.verdict));
        scanned += 1;
      }
    }
    assert.ok(scanned > 4000, `only ${scanned} inputs`);
  });

  it("never calls a truncated model file clean", async () => {
    let checked = 0;
    for (const { path, bytes } of corpus) {
      const random = fileRng(0x5eed, path);
      const whole = await scanBuffer(bytes, path);
      // Protocol buffers (ONNX, SavedModel and its side files) have no end marker: a cut at a field boundary is a
      // smaller well-formed message, so only their own malformed tests cover truncation.
      const unmarkedEnd = [
        "onnx",
        "tf-savedmodel",
        "keras-savedmodel-metadata",
        "tf-fingerprint",
      ].includes(whole.format);
      // A file already unscannable for what its tail holds (bytes after the last tensor) can
      // become well-formed when cut: only files that read whole have a verdict to lose.
      if (whole.verdict === "unscannable") continue;
      if (bytes.length < 2 || unmarkedEnd || whole.format === "text" || whole.format === "empty") {
        continue;
      }
      const boundaries = streamBoundaries(bytes);
      for (let i = 0; i < TRUNCATIONS_PER_FILE; i++) {
        const cut = 1 + Math.floor(random() * (bytes.length - 1));
        // A cut at a stream boundary, or one that only drops zero padding (tar records), loses
        // nothing a loader reads.
        if (boundaries.has(cut) || bytes.subarray(cut).every((b) => b === 0)) continue;
        // A few bytes of a header are no format at all (a pickle's are: it runs from byte 0).
        if (cut < MIN_HEADER_REMNANT && !whole.format.includes("pickle")) continue;
        const result = await scanBuffer(bytes.subarray(0, cut), path);
        assert.notEqual(
          result.verdict,
          "clean",
          `${path} cut at ${cut}/${bytes.length} (${result.format}) came out clean`,
        );
        checked += 1;
      }
    }
    assert.ok(checked > 1000, `only ${checked} truncations`);
  });
});
