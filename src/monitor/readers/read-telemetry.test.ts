import assert from "node:assert/strict";
import { symlink } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { StartRecord, StepRecord } from "../telemetry.js";
import { TelemetryError } from "../telemetry-error.js";
import { readTelemetry } from "./read-telemetry.js";
import { tempDir } from "./test-support/temp-dir.js";

const FIXTURES = fileURLToPath(new URL("../../../fixtures/monitor/readers/", import.meta.url));
const tmp = await tempDir();

test("readTelemetry() reads a plain metrics log with Python's NaN tokens, run named by its path", async () => {
  const read = await readTelemetry([path.join(FIXTURES, "plain")]);
  assert.deepEqual(read.problems, []);
  const steps = read.records as StepRecord[];
  assert.deepEqual(
    steps.map((r) => [r.type, r.run, r.rank, r.step, r.time]),
    [0, 1, 2, 3, 4, 5].map((s) => ["step", "metrics", 0, s, 1700000600.5 + s]),
  );
  assert.deepEqual(
    steps.map((r) => [r.loss, r.gradNorm, r.lr]),
    [
      [1.5, 0.5, 0.001],
      [1.375, 0.75, 0.001],
      [1.25, 1, 0.001],
      [Number.NaN, 1.25, 0.001],
      [1, Number.POSITIVE_INFINITY, 0.001],
      [Number.NEGATIVE_INFINITY, 1.75, 0.001],
    ],
  );
  assert.equal(steps[3]?.source, path.join(FIXTURES, "plain", "metrics.jsonl:5"));
});

test("readTelemetry() names a plain log's run by the path below the argument, or the file name", async () => {
  const below = await readTelemetry([FIXTURES]);
  assert.ok(below.records.some((r) => r.run === "plain/metrics"));
  const file = await readTelemetry([path.join(FIXTURES, "plain", "metrics.jsonl")]);
  assert.equal(file.records[0]?.run, "metrics");
});

test("readTelemetry() reads trainguard records as written, skipping a pretty-printed config.json", async () => {
  const read = await readTelemetry([path.join(FIXTURES, "trainguard")]);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(
    read.files.map((f) => path.basename(f)),
    ["rank0.jsonl", "rank1.jsonl"],
  );
  assert.deepEqual(
    read.records.map((r) => `${r.run}/${r.rank}/${r.type}`),
    [0, 1].flatMap((rank) =>
      ["start", "step", "step", "step", "checkpoint", "exit"].map((t) => `job-7/${rank}/${t}`),
    ),
  );
  const start = read.records[0] as StartRecord;
  assert.equal(start.seed, 42);
  assert.deepEqual(start.lrSchedule, { kind: "step", lr: 0.1, stepSize: 2, gamma: 0.5 });
  const step = read.records[7] as StepRecord;
  assert.equal(step.loss, 2 + 1 / 8);
  assert.equal(step.localGradNorm, 1.25);
  assert.deepEqual(step.gradSketch, [0.5, -0.25, 0.125]);
});

test("readTelemetry() walks the whole fixture tree in sorted order", async () => {
  const read = await readTelemetry([FIXTURES]);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(
    read.files.map((f) => path.relative(FIXTURES, f)),
    [
      "mlruns/0/3f2a9c0d1e4b4c5d8e7f6a5b4c3d2e1f",
      "mlruns/0/9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b",
      "plain/metrics.jsonl",
      "tb-v1/run-a/events.out.tfevents.1700000000.gpu1.100.0",
      "tb-v1/run-a/events.out.tfevents.1700000100.gpu1.101.0",
      "tb-v2/run-b/rank1/events.out.tfevents.1700000200.gpu2.200.0.v2",
      "tb-v2-content/run-c/events.out.tfevents.1700000300.gpu3.300.0.v2",
      "trainguard/job-7/rank0.jsonl",
      "trainguard/job-7/rank1.jsonl",
    ],
  );
  assert.equal(read.records.length, 11 + 11 + 6 + 63 + 10 + 5 + 12);
});

test("readTelemetry() reports bad lines with file:line and keeps every good one", async () => {
  const file = await tmp.put(
    "garbage/rank3.jsonl",
    [
      '{"step": 0, "loss": 1}',
      "not json",
      '{"step": 1, "loss": "high"}',
      "[1, 2]",
      '{"type": "teleport", "step": 2}',
      '{"step": -1}',
      '{"step": 2, "loss": NaN, "run": "NaN"}',
      '{"step": 3, "rank": 1, "run": "named"}',
    ].join("\n"),
  );
  const read = await readTelemetry([file]);
  assert.deepEqual(
    read.problems.map((p) => p.source),
    [2, 3, 4, 5, 6].map((n) => `${file}:${n}`),
  );
  assert.match(read.problems[0]!.message, /^Cannot parse JSON line: /);
  assert.match(read.problems[1]!.message, /^Cannot read telemetry record .*"loss" is not a number/);
  const steps = read.records as StepRecord[];
  assert.deepEqual(
    steps.map((r) => [r.run, r.rank, r.step]),
    [
      ["garbage", 3, 0],
      ["NaN", 3, 2],
      ["named", 1, 3],
    ],
  );
  assert.ok(Number.isNaN(steps[1]?.loss));
});

test("readTelemetry() reports a line longer than maxRecordBytes and reads the next", async () => {
  const file = await tmp.put("long/m.jsonl", `{"step":0,"pad":"${"x".repeat(500)}"}\n{"step":1}\n`);
  const read = await readTelemetry([file], { maxRecordBytes: 100 });
  assert.deepEqual(read.problems, [
    { source: `${file}:1`, message: "Cannot read line: longer than 100 bytes" },
  ]);
  assert.equal(read.records.length, 1);
});

test("readTelemetry() throws NOT_FOUND for a missing path before reading anything", async () => {
  await assert.rejects(
    readTelemetry([FIXTURES, path.join(tmp.dir, "missing")]),
    (e: unknown) => e instanceof TelemetryError && e.code === "NOT_FOUND",
  );
});

test("readTelemetry() throws UNSUPPORTED for a maxRecordBytes that is not a positive integer", async () => {
  for (const maxRecordBytes of [0, -1, 1.5, Number.NaN]) {
    await assert.rejects(
      readTelemetry([FIXTURES], { maxRecordBytes }),
      (e: unknown) => e instanceof TelemetryError && e.code === "UNSUPPORTED",
    );
  }
});

test("readTelemetry() reports an unknown file argument but skips unknown files in directories", async () => {
  const file = await tmp.put("unknown/model.bin", new Uint8Array([1, 2, 3, 4]));
  await tmp.put("unknown/notes.txt", "hello\n");
  const direct = await readTelemetry([file]);
  assert.deepEqual(direct.problems, [
    {
      source: file,
      message: "Cannot read telemetry file: not JSONL, TensorBoard events or an MLflow run",
    },
  ]);
  const walked = await readTelemetry([path.dirname(file)]);
  assert.deepEqual(walked, { records: [], problems: [], files: [] });
});

test("readTelemetry() reads a log named on the command line that starts with a JSON object", async () => {
  const file = await tmp.put("named/train.log", '{"step": 4, "loss": 0.5}\n');
  const read = await readTelemetry([file]);
  assert.deepEqual(
    read.records.map((r) => [r.run, r.type]),
    [["train", "step"]],
  );
});

test("readTelemetry() follows symlinks inside the tree only, and reads a file linked twice once", async () => {
  const outside = await tmp.put("outside/secret.jsonl", '{"step": 0, "run": "outside"}\n');
  const inner = await tmp.put("tree/logs/a.jsonl", '{"step": 0, "run": "inside"}\n');
  await symlink(outside, path.join(tmp.dir, "tree", "escape.jsonl"));
  await symlink(path.dirname(outside), path.join(tmp.dir, "tree", "escape-dir"));
  await symlink(inner, path.join(tmp.dir, "tree", "alias.jsonl"));
  await symlink(path.join(tmp.dir, "tree"), path.join(tmp.dir, "tree", "logs", "loop"));
  const read = await readTelemetry([path.join(tmp.dir, "tree")]);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.files, [path.join(tmp.dir, "tree", "alias.jsonl")]);
  assert.deepEqual(
    read.records.map((r) => r.run),
    ["inside"],
  );
});

test("readTelemetry() reads a .json in a directory only when its first line is a JSON object", async () => {
  const lines = await tmp.put("json/a/metrics.json", '{"step": 0}\n{"step": 1}\n');
  await tmp.put("json/a/config.json", '{\n  "lr": 0.1\n}\n');
  await tmp.put("json/a/list.json", "[1, 2]\n");
  const read = await readTelemetry([path.join(tmp.dir, "json")]);
  assert.deepEqual(read.files, [lines]);
  assert.deepEqual(
    read.records.map((r) => r.run),
    ["a/metrics", "a/metrics"],
  );
});
