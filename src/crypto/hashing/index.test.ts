import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { HashAlgorithm, HashTask } from "./index.js";
import { fileShards, hashBytes, hashFiles, NODE_HASH_NAME } from "./index.js";
import { CHUNK_BYTES, MAIN_THREAD_MAX_BYTES } from "./limits.js";
import { tempDir } from "./test-support/temp-files.js";

const MiB = 1024 * 1024;
const ALGORITHMS: readonly HashAlgorithm[] = ["sha256", "blake2b"];
const SIZES = [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 9 * MiB, 17 * MiB];

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const expected = (algorithm: HashAlgorithm, path: string, start = 0, end?: number): string =>
  createHash(NODE_HASH_NAME[algorithm])
    .update(readFileSync(path).subarray(start, end))
    .digest("hex");

/** `sha256sum`/`openssl dgst -r` print "<hex> *<path>" or "<hex>  <path>" per line. */
function toolDigests(command: string, args: readonly string[]): Map<string, string> {
  const out = execFileSync(command, args, { encoding: "utf8" });
  return new Map(
    out
      .trim()
      .split("\n")
      .map((line) => {
        const match = /^([0-9a-f]+) [ *](.*)$/.exec(line);
        assert.ok(match, `unexpected ${command} line '${line}'`);
        return [match[2] as string, match[1] as string] as const;
      }),
  );
}

function hasCommand(command: string, versionArg = "--version"): boolean {
  try {
    execFileSync(command, [versionArg], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("hashFiles()", () => {
  const temp = tempDir();
  const paths: string[] = [];
  before(() => {
    for (const size of SIZES) paths.push(temp.write(`file-${size}.bin`, size));
  });
  after(() => temp.remove());

  for (const algorithm of ALGORITHMS) {
    test(`${algorithm}: matches node:crypto for files of 0, 1, chunk±1, chunk, 9 and 17 MiB bytes`, async () => {
      const results = await hashFiles(
        paths.map((path) => ({ path })),
        { algorithm },
      );
      assert.deepEqual(
        results.map((r) => [r.path, r.start, r.end, hex(r.digest)]),
        paths.map((path, i) => [path, 0, SIZES[i], expected(algorithm, path)]),
      );
    });
  }

  test("sha256 digests equal sha256sum output", { skip: !hasCommand("sha256sum") }, async () => {
    const tool = toolDigests("sha256sum", paths);
    const results = await hashFiles(
      paths.map((path) => ({ path })),
      { algorithm: "sha256" },
    );
    for (const r of results) assert.equal(hex(r.digest), tool.get(r.path), r.path);
  });

  for (const [algorithm, flag] of [
    ["sha256", "-sha256"],
    ["blake2b", "-blake2b512"],
  ] as const) {
    test(`${algorithm} digests equal openssl dgst ${flag} output`, {
      skip: !hasCommand("openssl", "version"),
    }, async () => {
      const tool = toolDigests("openssl", ["dgst", flag, "-r", ...paths]);
      const results = await hashFiles(
        paths.map((path) => ({ path })),
        { algorithm },
      );
      for (const r of results) assert.equal(hex(r.digest), tool.get(r.path), r.path);
    });
  }

  test("hashes byte ranges: empty, one byte, across chunk borders, to the end", async () => {
    const path = paths[5] as string; // 9 MiB
    const ranges: [number, number][] = [
      [0, 0],
      [5, 5],
      [0, 1],
      [CHUNK_BYTES - 3, CHUNK_BYTES + 3],
      [1, 9 * MiB - 1],
      [2 * CHUNK_BYTES, 9 * MiB],
      [0, 9 * MiB],
    ];
    for (const algorithm of ALGORITHMS) {
      const results = await hashFiles(
        ranges.map(([start, end]) => ({ path, start, end })),
        { algorithm },
      );
      assert.deepEqual(
        results.map((r) => [r.start, r.end, hex(r.digest)]),
        ranges.map(([start, end]) => [start, end, expected(algorithm, path, start, end)]),
      );
    }
  });

  test("a range with only start runs to the end of the file", async () => {
    const path = paths[4] as string; // chunk + 1
    const [result] = await hashFiles([{ path, start: 10 }], { algorithm: "sha256" });
    assert.equal(result?.end, CHUNK_BYTES + 1);
    assert.equal(hex(result?.digest ?? new Uint8Array()), expected("sha256", path, 10));
  });

  test("fileShards() ranges hash like the slices of the file", async () => {
    const path = paths[6] as string; // 17 MiB
    const shards = fileShards(path, 17 * MiB, 3 * MiB);
    const results = await hashFiles(shards, { algorithm: "sha256" });
    assert.equal(results.length, 6);
    for (const r of results) assert.equal(hex(r.digest), expected("sha256", path, r.start, r.end));
  });

  test("digests equal hashBytes() and are Buffers, like node:crypto's", async () => {
    const path = paths[5] as string;
    const [result] = await hashFiles([{ path }], { algorithm: "blake2b" });
    assert.ok(Buffer.isBuffer(result?.digest));
    assert.deepEqual(result?.digest, hashBytes("blake2b", readFileSync(path)));
  });

  test("reports progress with the real total, starting at 0 and ending at the total", async () => {
    const calls: [number, number][] = [];
    const total = SIZES.reduce((a, b) => a + b, 0);
    await hashFiles(
      paths.map((path) => ({ path })),
      { algorithm: "sha256", onProgress: (done, all) => calls.push([done, all]) },
    );
    assert.deepEqual(calls[0], [0, total]);
    assert.deepEqual(calls.at(-1), [total, total]);
    for (const [i, [done, all]] of calls.entries()) {
      assert.equal(all, total);
      if (i > 0) assert.ok(done >= (calls[i - 1]?.[0] ?? 0), "progress never goes back");
    }
  });

  test("returns [] for no tasks", async () => {
    assert.deepEqual(await hashFiles([], { algorithm: "sha256" }), []);
  });

  test("rejects a worker count that is not a positive integer", async () => {
    for (const workers of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(hashFiles([], { algorithm: "sha256", workers }), RangeError);
    }
  });
});

describe("hashFiles() over many small files", () => {
  const temp = tempDir();
  const tasks: HashTask[] = [];
  before(() => {
    // 600 files of 0 B to ~12 KiB (about 3.6 MiB): enough for the worker path, in many batches.
    for (let i = 0; i < 600; i++) {
      tasks.push({ path: temp.write(`small-${i}.bin`, (i * 6151) % 12_289) });
    }
    tasks.push(tasks[3] as HashTask, { path: (tasks[7] as HashTask).path, start: 1, end: 2 });
  });
  after(() => temp.remove());

  test("results come back in task order, duplicates included", async () => {
    const results = await hashFiles(tasks, { algorithm: "sha256" });
    assert.deepEqual(
      results.map((r) => [r.path, hex(r.digest)]),
      tasks.map((t) => [t.path, expected("sha256", t.path, t.start ?? 0, t.end)]),
    );
  });

  for (const algorithm of ALGORITHMS) {
    test(`${algorithm}: 1 worker and 2 workers give the same results`, async () => {
      const one = await hashFiles(tasks, { algorithm, workers: 1 });
      const two = await hashFiles(tasks, { algorithm, workers: 2 });
      assert.deepEqual(two, one);
    });
  }

  test("a tiny call hashed on the calling thread gives the same digests", async () => {
    const tiny = tasks.slice(0, 10);
    const bytes = tiny.reduce((sum, t) => sum + readFileSync(t.path).length, 0);
    assert.ok(bytes <= MAIN_THREAD_MAX_BYTES);
    const results = await hashFiles(tiny, { algorithm: "blake2b" });
    assert.deepEqual(
      results.map((r) => hex(r.digest)),
      tiny.map((t) => expected("blake2b", t.path)),
    );
  });
});

describe("hashFiles() over large files", () => {
  const temp = tempDir();
  const tasks: HashTask[] = [];
  before(() => {
    for (let i = 0; i < 5; i++) tasks.push({ path: temp.write(`big-${i}.bin`, (20 + i) * MiB) });
  });
  after(() => temp.remove());

  test("1 worker and 2 workers give the same results", async () => {
    const one = await hashFiles(tasks, { algorithm: "sha256", workers: 1 });
    const two = await hashFiles(tasks, { algorithm: "sha256", workers: 2 });
    assert.deepEqual(two, one);
    assert.deepEqual(
      one.map((r) => hex(r.digest)),
      tasks.map((t) => expected("sha256", t.path)),
    );
  });
});
