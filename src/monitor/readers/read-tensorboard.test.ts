import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { CheckpointRecord, StepRecord, TelemetryRecord } from "../telemetry.js";
import { readTelemetry } from "./read-telemetry.js";

const FIXTURES = fileURLToPath(new URL("../../../fixtures/monitor/readers/", import.meta.url));
const f32 = Math.fround;

function steps(records: readonly TelemetryRecord[]): StepRecord[] {
  return records.filter((r): r is StepRecord => r.type === "step");
}

describe("TensorBoard v1 fixture (tb-v1/run-a, simple_value)", async () => {
  const read = await readTelemetry([path.join(FIXTURES, "tb-v1")]);

  test("readTelemetry() reads both event files in name order without problems", () => {
    assert.deepEqual(read.problems, []);
    assert.deepEqual(
      read.files.map((f) => path.basename(f)),
      ["events.out.tfevents.1700000000.gpu1.100.0", "events.out.tfevents.1700000100.gpu1.101.0"],
    );
  });

  test("readTelemetry() keeps the restart and the step regression 30 -> 20 in file order", () => {
    const kinds = read.records.map((r) => (r.type === "step" ? r.step : r.type));
    const first = Array.from({ length: 31 }, (_, s) => s);
    const second = Array.from({ length: 30 }, (_, i) => 20 + i);
    assert.deepEqual(kinds, [...first, "start", ...second, "checkpoint"]);
    const start = read.records[31]!;
    assert.equal(start.time, 1700000100);
    assert.equal(start.run, "run-a");
  });

  test("readTelemetry() merges loss, lr and grad_norm events of a step into one record", () => {
    const all = steps(read.records);
    assert.equal(all.length, 61);
    for (const r of all.slice(0, 31)) {
      assert.equal(r.loss, f32(4 - r.step / 16));
      assert.equal(r.lr, 0.5 ** (1 + Math.floor(r.step / 10)));
      assert.equal(r.gradNorm, 1 + r.step / 8);
      assert.equal(r.time, 1700000000 + 2 * r.step + 0.25);
      assert.equal(r.run, "run-a");
      assert.equal(r.rank, 0);
    }
    for (const r of all.slice(31)) {
      assert.equal(r.loss, f32(3 - r.step / 32));
      assert.equal(r.lr, 0.03125);
      assert.equal(r.gradNorm, 2 + r.step / 4);
      assert.equal(r.time, 1700000100 + 2 * (r.step - 20) + 1);
    }
  });

  test("readTelemetry() does not let val/loss replace train/loss", () => {
    const ten = steps(read.records).find((r) => r.step === 10)!;
    assert.equal(ten.loss, 3.375);
  });

  test("readTelemetry() turns SessionLog CHECKPOINT into a checkpoint save", () => {
    const last = read.records.at(-1) as CheckpointRecord;
    assert.equal(last.type, "checkpoint");
    assert.equal(last.action, "save");
    assert.equal(last.step, 49);
    assert.equal(last.path, "ckpt/step-49.pt");
    assert.equal(last.time, 1700000164);
  });
});

test("readTelemetry() reads v2 tensor scalars (float_val packed and unpacked, double_val), rank from the rank1 directory", async () => {
  const read = await readTelemetry([path.join(FIXTURES, "tb-v2")]);
  assert.deepEqual(read.problems, []);
  const all = steps(read.records);
  assert.deepEqual(
    all.map((r) => r.step),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  for (const r of all) {
    assert.equal(r.run, "run-b");
    assert.equal(r.rank, 1);
    assert.equal(r.loss, f32(1 - r.step / 64));
    assert.equal(r.lr, 0.25);
    assert.equal(r.gradNorm, 0.5 + r.step / 16);
    assert.equal(r.time, 1700000200 + r.step + 0.5);
  }
});

test("readTelemetry() reads v2 scalars from tensor_content doubles and halves and bfloat16 half_val", async () => {
  const read = await readTelemetry([path.join(FIXTURES, "tb-v2-content", "run-c")]);
  assert.deepEqual(read.problems, []);
  const all = steps(read.records);
  assert.equal(all.length, 5);
  for (const r of all) {
    assert.equal(r.run, "run-c");
    assert.equal(r.loss, 2.5 - r.step * 0.125);
    assert.equal(r.lr, 2 ** -(10 + r.step));
    assert.equal(r.gradNorm, 0.75 + r.step / 4);
  }
});

test("readTelemetry() names the run after the directory of an event file argument, above a rank1 directory", async () => {
  const file = path.join(
    FIXTURES,
    "tb-v2",
    "run-b",
    "rank1",
    "events.out.tfevents.1700000200.gpu2.200.0.v2",
  );
  const read = await readTelemetry([file]);
  assert.equal(read.records[0]?.run, "run-b");
  assert.equal(read.records[0]?.rank, 1);
});
