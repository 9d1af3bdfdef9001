import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BATCH_BYTES, BATCH_MAX_JOBS } from "./limits.js";
import { planBatches } from "./plan.js";
import type { RangeJob } from "./wire.js";

const identity = { dev: 1n, ino: 1n, size: 0n, mtimeNs: 0n };
const job = (index: number, length: number): RangeJob => ({
  index,
  path: `f${index}`,
  start: 0,
  end: length,
  identity,
});

describe("planBatches()", () => {
  test("long ranges go alone, longest first, before the batches of short ones", () => {
    const jobs = [job(0, 10), job(1, BATCH_BYTES), job(2, 20), job(3, 3 * BATCH_BYTES), job(4, 0)];
    const batches = planBatches(jobs);
    assert.deepEqual(
      batches.map((b) => b.map((j) => j.index)),
      [[3], [1], [0, 2, 4]],
    );
  });

  test("short ranges are grouped in order up to BATCH_BYTES", () => {
    const quarter = BATCH_BYTES / 4;
    const jobs = Array.from({ length: 10 }, (_, i) => job(i, quarter));
    assert.deepEqual(
      planBatches(jobs).map((b) => b.map((j) => j.index)),
      [
        [0, 1, 2, 3],
        [4, 5, 6, 7],
        [8, 9],
      ],
    );
  });

  test("short ranges are grouped up to BATCH_MAX_JOBS, every job exactly once", () => {
    const jobs = Array.from({ length: 2 * BATCH_MAX_JOBS + 5 }, (_, i) => job(i, 1));
    const batches = planBatches(jobs);
    assert.deepEqual(
      batches.map((b) => b.length),
      [BATCH_MAX_JOBS, BATCH_MAX_JOBS, 5],
    );
    assert.deepEqual(
      batches.flat().map((j) => j.index),
      jobs.map((j) => j.index),
    );
  });

  test("no jobs, no batches", () => {
    assert.deepEqual(planBatches([]), []);
  });
});
