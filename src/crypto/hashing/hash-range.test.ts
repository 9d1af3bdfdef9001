import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { after, describe, test } from "node:test";
import { identityOf } from "./file-identity.js";
import { HashError } from "./hash-error.js";
import { hashRange } from "./hash-range.js";
import { SharedProgress } from "./shared-progress.js";
import { tempDir } from "./test-support/temp-files.js";
import type { RangeJob } from "./wire.js";

const buffer = Buffer.alloc(1000); // smaller than the files: several reads per range

function jobFor(path: string, start = 0, end?: number): RangeJob {
  const identity = identityOf(statSync(path, { bigint: true }));
  return { index: 0, path, start, end: end ?? Number(identity.size), identity };
}

function assertChanged(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof HashError);
    assert.equal(error.code, "CHANGED");
    assert.match(error.message, pattern);
    return true;
  });
}

describe("hashRange()", () => {
  const temp = tempDir();
  after(() => temp.remove());

  test("hashes the range with a buffer smaller than it and counts the bytes", () => {
    const path = temp.write("a.bin", 4321);
    const progress = new SharedProgress();
    const digest = hashRange(jobFor(path, 7, 4000), "sha256", buffer, progress);
    const want = createHash("sha256").update(readFileSync(path).subarray(7, 4000)).digest();
    assert.deepEqual(digest, want);
    assert.equal(progress.bytesDone, 3993);
  });

  test("a file truncated after it was listed is CHANGED", () => {
    const path = temp.write("shrinks.bin", 5000);
    const job = jobFor(path);
    truncateSync(path, 2500);
    assertChanged(() => hashRange(job, "sha256", buffer, new SharedProgress()), /size changed/);
  });

  test("a file that ends before the range does is CHANGED, never a short digest", () => {
    const path = temp.write("short.bin", 3000);
    const job = { ...jobFor(path), end: 3500 };
    assertChanged(
      () => hashRange(job, "sha256", buffer, new SharedProgress()),
      /file ended at byte 3000/,
    );
  });

  test("a file replaced by another after it was listed is CHANGED", () => {
    const path = temp.write("replaced.bin", 3000);
    const job = jobFor(path);
    const other = temp.write("other.bin", 3000);
    renameSync(other, path);
    assertChanged(() => hashRange(job, "sha256", buffer, new SharedProgress()), /replaced/);
  });

  test("a file rewritten in place with the same size is CHANGED", () => {
    const path = temp.write("rewritten.bin", 3000);
    const job = jobFor(path);
    writeFileSync(path, Buffer.alloc(3000, 1));
    const later = new Date(Date.now() + 5000);
    utimesSync(path, later, later); // mtime resolution may be coarse: make the change visible
    assertChanged(() => hashRange(job, "blake2b", buffer, new SharedProgress()), /modified/);
  });

  test("stops without a digest once the call is aborted", () => {
    const path = temp.write("aborted.bin", 3000);
    const progress = new SharedProgress();
    progress.abort();
    assert.equal(hashRange(jobFor(path), "sha256", buffer, progress), undefined);
  });
});
