import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { HashErrorCode } from "./index.js";
import { HashError, hashFiles } from "./index.js";
import { tempDir } from "./test-support/temp-files.js";

const MiB = 1024 * 1024;

function isHashError(code: HashErrorCode, path: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof HashError, `expected HashError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.path, path);
    assert.match(error.message, /^Cannot /);
    assert.ok(error.message.includes(path), "message names the path");
    return true;
  };
}

describe("hashFiles() errors", () => {
  const temp = tempDir();
  let big: string[] = [];
  let small: string;
  before(() => {
    big = [0, 1, 2].map((i) => temp.write(`big-${i}.bin`, 3 * MiB));
    small = temp.write("small.bin", 100);
  });
  after(() => temp.remove());

  test("a missing file is NOT_FOUND, before any hashing", async () => {
    const missing = join(temp.dir, "missing.bin");
    await assert.rejects(
      hashFiles([{ path: missing }], { algorithm: "sha256" }),
      isHashError("NOT_FOUND", missing),
    );
  });

  test("among many files, the first missing one in task order is reported", async () => {
    const first = join(temp.dir, "gone-1.bin");
    const second = join(temp.dir, "gone-2.bin");
    const tasks = [...big, second, first, ...big].map((path) => ({ path }));
    tasks.splice(1, 0, { path: first });
    await assert.rejects(
      hashFiles(tasks, { algorithm: "sha256", workers: 2 }),
      isHashError("NOT_FOUND", first),
    );
  });

  test("a path under a regular file is NOT_FOUND", async () => {
    const path = join(small, "child");
    await assert.rejects(
      hashFiles([{ path }], { algorithm: "sha256" }),
      isHashError("NOT_FOUND", path),
    );
  });

  test("a directory is IO: not a regular file", async () => {
    const dir = join(temp.dir, "a-dir");
    mkdirSync(dir);
    await assert.rejects(
      hashFiles([{ path: dir }], { algorithm: "blake2b" }),
      isHashError("IO", dir),
    );
  });

  test("a FIFO is IO and is never opened (no hang)", async () => {
    const fifo = join(temp.dir, "a-fifo");
    execFileSync("mkfifo", [fifo]);
    await assert.rejects(
      hashFiles([{ path: fifo }], { algorithm: "sha256" }),
      isHashError("IO", fifo),
    );
  });

  test("an unreadable file is IO", {
    skip: process.getuid?.() === 0 ? "root reads any file" : false,
  }, async () => {
    const path = temp.write("locked.bin", 10);
    chmodSync(path, 0o000);
    await assert.rejects(hashFiles([{ path }], { algorithm: "sha256" }), isHashError("IO", path));
  });

  test("a range past the end of the file is CHANGED, never a short digest", async () => {
    const path = big[0] as string;
    const tasks = [{ path: small }, { path, start: 0, end: 3 * MiB + 1 }];
    await assert.rejects(hashFiles(tasks, { algorithm: "sha256" }), isHashError("CHANGED", path));
  });

  test("a malformed range is a RangeError", async () => {
    for (const range of [
      { start: -1 },
      { end: 1.5 },
      { start: 5, end: 4 },
      { start: Number.NaN },
    ]) {
      await assert.rejects(
        hashFiles([{ path: small, ...range }], { algorithm: "sha256" }),
        RangeError,
      );
    }
  });

  test("the pool still works after a failed call", async () => {
    const results = await hashFiles(
      big.map((path) => ({ path })),
      { algorithm: "sha256", workers: 2 },
    );
    assert.equal(results.length, 3);
  });
});
