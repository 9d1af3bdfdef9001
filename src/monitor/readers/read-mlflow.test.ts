import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { StartRecord, StepRecord } from "../telemetry.js";
import { parseMlflowMeta } from "./mlflow-meta.js";
import { readTelemetry } from "./read-telemetry.js";
import { tempDir } from "./test-support/temp-dir.js";

const MLRUNS = fileURLToPath(new URL("../../../fixtures/monitor/readers/mlruns/", import.meta.url));
const RUN1 = "3f2a9c0d1e4b4c5d8e7f6a5b4c3d2e1f";
const RUN2 = "9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b";
const tmp = await tempDir();

test("readTelemetry() finds both runs of the MLflow store and names them by run_name or directory", async () => {
  const read = await readTelemetry([MLRUNS]);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.files, [path.join(MLRUNS, "0", RUN1), path.join(MLRUNS, "0", RUN2)]);
  assert.deepEqual([...new Set(read.records.map((r) => r.run))], ["bright-owl-7", RUN2]);
});

test("readTelemetry() merges MLflow loss, lr and grad_norm histories by step, with the seed param as a start record", async () => {
  const read = await readTelemetry([path.join(MLRUNS, "0", RUN1)]);
  const [start, ...steps] = read.records as [StartRecord, ...StepRecord[]];
  assert.equal(start.type, "start");
  assert.equal(start.seed, 1234);
  assert.equal(start.time, 1700000400);
  assert.deepEqual(
    steps.map((r) => [r.step, r.loss, r.lr, r.gradNorm, r.time, r.rank]),
    Array.from({ length: 10 }, (_, s) => [s, 2 - s / 8, 0.125, 1 + s / 4, 1700000400 + s, 0]),
  );
});

test("readTelemetry() keeps an MLflow run's step regression in timestamp order, nested metric keys included", async () => {
  const read = await readTelemetry([path.join(MLRUNS, "0", RUN2)]);
  const steps = read.records as StepRecord[];
  assert.equal(
    steps.every((r) => r.type === "step"),
    true,
  );
  const order = [0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7];
  assert.deepEqual(
    steps.map((r) => r.step),
    order,
  );
  assert.deepEqual(
    steps.map((r) => r.loss),
    order.map((s, i) => (i === 4 ? Number.NaN : i < 6 ? 1 - s / 16 : 0.75 - s / 32)),
  );
  assert.deepEqual(
    steps.map((r) => r.gradNorm),
    order.map((s) => 0.5 + s / 2),
  );
  assert.deepEqual(
    steps.map((r) => r.time),
    order.map((_, i) => 1700000500 + i),
  );
  assert.ok(steps.every((r) => r.lr === 0.0625));
});

test("readTelemetry() reports malformed MLflow metric lines and a non-numeric seed, reading the rest", async () => {
  const run = "mlruns/1/abc";
  await tmp.put(`${run}/meta.yaml`, "run_id: abc\nrun_name: 'it''s'\nstart_time: 5000\n");
  const loss = await tmp.put(
    `${run}/metrics/loss`,
    [
      "1000 0.5 0",
      "garbage",
      "2000 x 1",
      "3000 0.25 -1",
      "4000 inf 2",
      "5000 0.125",
      "1 2 3 4",
    ].join("\n"),
  );
  const seed = await tmp.put(`${run}/params/seed`, "forty-two");
  const read = await readTelemetry([path.join(tmp.dir, "mlruns")]);
  assert.deepEqual(
    read.problems.map((p) => p.source),
    [seed, `${loss}:2`, `${loss}:3`, `${loss}:4`, `${loss}:7`],
  );
  const steps = read.records as StepRecord[];
  assert.deepEqual(
    steps.map((r) => [r.run, r.step, r.loss, r.time]),
    [
      ["it's", 0, 0.5, 1],
      ["it's", 2, Number.POSITIVE_INFINITY, 4],
      ["it's", 0, 0.125, 5],
    ],
  );
});

test("parseMlflowMeta() reads top-level run_name and start_time only", () => {
  assert.deepEqual(
    parseMlflowMeta('run_name: "a b"\nstart_time: 17\ntags:\n  run_name: nested\n'),
    {
      runName: "a b",
      startTime: 17,
    },
  );
  assert.deepEqual(parseMlflowMeta("run_name: null\nstart_time:\n"), {
    runName: undefined,
    startTime: undefined,
  });
});

test("readTelemetry() names an MLflow run by its mlflow.runName tag when meta.yaml has no run_name", async () => {
  const run = "tagged/0/r1";
  await tmp.put(`${run}/meta.yaml`, "run_id: r1\n");
  await tmp.put(`${run}/metrics/train/loss`, "1000 0.5 0\n");
  await tmp.put(`${run}/tags/mlflow.runName`, "calm-fox-3\n");
  await tmp.put("tagged/0/meta.yaml", "experiment_id: '0'\nname: Default\n");
  const read = await readTelemetry([path.join(tmp.dir, "tagged", "0")]);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(
    read.records.map((r) => [r.run, r.type, r.time]),
    [["calm-fox-3", "step", 1]],
  );
});
