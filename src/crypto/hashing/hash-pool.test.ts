import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { HashPool } from "./hash-pool.js";
import { planBatches, resolveJobs } from "./plan.js";
import { runBatches } from "./run-batches.js";
import { SharedProgress } from "./shared-progress.js";
import { tempDir } from "./test-support/temp-files.js";

const PACKAGE_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const HERE = fileURLToPath(new URL(".", import.meta.url));
const MiB = 1024 * 1024;

describe("HashPool", () => {
  const temp = tempDir();
  after(() => temp.remove());

  test("a process exits once hashing is done, with idle workers that would live an hour", () => {
    const path = temp.write("exit.bin", 17 * MiB); // two ranges over BATCH_BYTES: two workers;
    // If an idle worker kept the event loop alive, this child would hang until the timeout.
    const script = `
      import { HashPool } from ${JSON.stringify(`${HERE}hash-pool.ts`)};
      import { planBatches, resolveJobs } from ${JSON.stringify(`${HERE}plan.ts`)};
      import { runBatches } from ${JSON.stringify(`${HERE}run-batches.ts`)};
      import { SharedProgress } from ${JSON.stringify(`${HERE}shared-progress.ts`)};
      const pool = new HashPool(3_600_000);
      const jobs = await resolveJobs([{ path: ${JSON.stringify(path)} }, { path: ${JSON.stringify(path)}, start: 1 }]);
      const digests = await runBatches(pool, 2, "sha256", planBatches(jobs), new SharedProgress());
      process.stdout.write(String(digests.size) + " " + String(pool.size));
    `;
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { cwd: PACKAGE_ROOT, encoding: "utf8", timeout: 120_000 },
    );
    assert.equal(child.error, undefined, "the child exited by itself");
    assert.equal(child.stderr, "");
    assert.equal(child.status, 0);
    assert.equal(child.stdout, "2 2");
  });

  test("reuses idle workers across calls and starts none after close() until needed", async () => {
    const pool = new HashPool();
    const path = temp.write("reuse.bin", 2 * MiB);
    const run = async () => {
      const jobs = await resolveJobs([{ path }, { path }, { path }]);
      return runBatches(pool, 2, "blake2b", planBatches(jobs), new SharedProgress());
    };
    try {
      const first = await run();
      assert.equal(pool.size, 1, "three short ranges make one batch, so one worker");
      const second = await run();
      assert.equal(pool.size, 1);
      assert.deepEqual(second, first);
      await pool.close();
      assert.equal(pool.size, 0);
      assert.deepEqual(await run(), first);
    } finally {
      await pool.close();
    }
  });
});
