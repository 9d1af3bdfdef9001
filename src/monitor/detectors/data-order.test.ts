import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeRecords } from "../analyze.js";
import type { TelemetryRecord } from "../telemetry.js";

function run(
  name: string,
  batch: (rank: number, step: number) => string,
  seed = 1,
): TelemetryRecord[] {
  const records: TelemetryRecord[] = [];
  for (let rank = 0; rank < 2; rank++) {
    records.push({
      type: "start",
      run: name,
      rank,
      time: 0,
      worldSize: 2,
      seed,
      configDigest: "cfg",
    });
    for (let step = 0; step < 20; step++) {
      records.push({
        type: "step",
        run: name,
        rank,
        step,
        time: 1 + step,
        worldSize: 2,
        batchDigest: batch(rank, step),
      });
    }
  }
  return records;
}

const honest = (rank: number, step: number) => `b${rank}-${step}`;

describe("seed_provenance: data order", () => {
  it("is silent on sharded batches and on a rerun drawing the same samples", () => {
    const report = analyzeRecords([...run("a", honest), ...run("b", honest)]);
    assert.deepEqual(
      report.runs.flatMap((r) => r.alerts),
      [],
    );
  });

  it("flags two ranks training on the same samples at a step as high", () => {
    const report = analyzeRecords(
      run("a", (rank, step) => (step >= 5 ? `b-${step}` : honest(rank, step))),
    );
    const alert = report.runs[0]?.alerts.find((a) => a.detector === "seed_provenance");
    assert.equal(alert?.severity, "high");
    assert.equal(alert?.step, 5);
    assert.equal(alert?.rank, 1);
  });

  it("warns when a run with the same seed and configuration draws other samples", () => {
    const report = analyzeRecords([
      ...run("a", honest),
      ...run("b", (rank, step) => (step === 3 ? `x${rank}` : honest(rank, step))),
    ]);
    const alerts = report.runs.find((r) => r.run === "b")?.alerts ?? [];
    assert.equal(alerts[0]?.severity, "warning");
    assert.equal(alerts[0]?.step, 3);
    assert.match(alerts[0]?.message ?? "", /same seed/);
  });

  it("warns when a step redone after a restart draws other samples", () => {
    const first = run("a", honest);
    const redo: TelemetryRecord[] = [
      { type: "start", run: "a", rank: 0, time: 30, seed: 1, configDigest: "cfg" },
      { type: "checkpoint", run: "a", rank: 0, time: 31, action: "load", step: 9 },
      { type: "step", run: "a", rank: 0, time: 32, step: 10, batchDigest: "other" },
    ];
    const alerts = analyzeRecords([...first, ...redo]).runs[0]?.alerts ?? [];
    assert.ok(
      alerts.some(
        (a) =>
          a.detector === "seed_provenance" &&
          a.severity === "warning" &&
          /redid step 10/.test(a.message),
      ),
    );
  });

  it("remembers a redone step thousands of steps back, and forgets past its window", () => {
    const steps = (from: number, to: number, time: number, digest = (s: number) => `b${s}`) =>
      Array.from(
        { length: to - from },
        (_, k): TelemetryRecord => ({
          type: "step",
          run: "long",
          rank: 0,
          step: from + k,
          time: time + k,
          worldSize: 1,
          batchDigest: digest(from + k),
        }),
      );
    const redone = (alerts: readonly { message: string }[]) =>
      alerts.filter((a) => /redid step/.test(a.message)).map((a) => a.message);
    // 3,000 steps, then step 100 again on other samples: still within the 4,096 remembered.
    const near = analyzeRecords([...steps(0, 3000, 0), ...steps(100, 101, 5000, () => "x")]);
    assert.deepEqual(redone(near.runs[0]?.alerts ?? []), [
      "rank 0 redid step 100 on different samples than the first time: the data order changed across the restart",
    ]);
    // The same samples again raise nothing; a step 6,000 back is no longer remembered.
    const same = analyzeRecords([...steps(0, 3000, 0), ...steps(100, 200, 5000)]);
    assert.deepEqual(redone(same.runs[0]?.alerts ?? []), []);
    const far = analyzeRecords([...steps(0, 6200, 0), ...steps(100, 101, 9000, () => "x")]);
    assert.deepEqual(redone(far.runs[0]?.alerts ?? []), []);
  });
});
