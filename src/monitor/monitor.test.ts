import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeRecords } from "./analyze.js";
import { Monitor } from "./monitor.js";
import type { Alert, TelemetryRecord } from "./telemetry.js";
import { type Sabotage, syntheticRun } from "./test-support/synthetic-run.js";

function alertsOf(records: readonly TelemetryRecord[]): readonly Alert[] {
  const report = analyzeRecords(records);
  assert.equal(report.runs.length, 1);
  return report.runs[0]?.alerts ?? [];
}

function severe(alerts: readonly Alert[]): Alert[] {
  return alerts.filter((a) => a.severity === "high" || a.severity === "critical");
}

describe("Monitor on synthetic runs", () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`raises nothing high or critical on a healthy run (seed ${seed})`, () => {
      const alerts = alertsOf(syntheticRun({ seed, steps: 200 }));
      assert.deepEqual(severe(alerts), []);
    });
  }

  const cases: Array<{
    kind: Sabotage;
    detector: string;
    rank: number | null;
    severity: string;
    from: number;
    within: number;
  }> = [
    {
      kind: "noise",
      detector: "gradient_outlier",
      rank: 1,
      severity: "high",
      from: 10,
      within: 20,
    },
    { kind: "flip", detector: "gradient_outlier", rank: 3, severity: "high", from: 10, within: 20 },
    {
      kind: "optim_one",
      detector: "replica_divergence",
      rank: 2,
      severity: "critical",
      from: 15,
      within: 0,
    },
    {
      kind: "optim_all",
      detector: "optimizer_audit",
      rank: 0,
      severity: "critical",
      from: 15,
      within: 2,
    },
    { kind: "lr", detector: "optimizer_audit", rank: 2, severity: "high", from: 15, within: 0 },
    { kind: "sleep", detector: "straggler", rank: 0, severity: "high", from: 10, within: 40 },
    { kind: "hang", detector: "hang", rank: 1, severity: "high", from: 20, within: 0 },
    { kind: "kill", detector: "kill_attribution", rank: 2, severity: "high", from: 25, within: 1 },
    { kind: "seed", detector: "seed_provenance", rank: 0, severity: "high", from: 0, within: 0 },
  ];
  for (const c of cases) {
    it(`catches ${c.kind} with ${c.detector} on rank ${c.rank}`, () => {
      const rank = c.rank ?? 0;
      const alerts = alertsOf(
        syntheticRun({ seed: 3, steps: 80, sabotage: { kind: c.kind, rank, from: c.from } }),
      );
      const hit = alerts.find(
        (a) => a.detector === c.detector && a.severity === c.severity && a.rank === c.rank,
      );
      assert.ok(
        hit,
        `no ${c.severity} ${c.detector} alert on rank ${c.rank}: ${JSON.stringify(alerts, null, 1).slice(0, 3000)}`,
      );
      if (c.kind !== "seed") {
        assert.ok(
          hit.step !== null && hit.step >= c.from - 1 && hit.step <= c.from + c.within,
          `step ${hit.step}`,
        );
      }
    });
  }

  it("compares a rank whose records arrive hundreds of steps after the others'", () => {
    const records = syntheticRun({
      seed: 4,
      steps: 300,
      sabotage: { kind: "optim_one", rank: 2, from: 40 },
    });
    const late = records.filter((r) => r.rank === 2);
    const rest = records.filter((r) => r.rank !== 2);
    const monitor = new Monitor();
    for (const r of [...rest, ...late]) monitor.add(r);
    const alert = monitor.alerts("synthetic").find((a) => a.detector === "replica_divergence");
    assert.equal(alert?.rank, 2);
    assert.equal(alert?.step, 40);
  });

  it("keeps replica digests silent when noise enters before the all-reduce", () => {
    const alerts = alertsOf(
      syntheticRun({ seed: 2, steps: 80, sabotage: { kind: "noise", rank: 1, from: 10 } }),
    );
    assert.equal(alerts.filter((a) => a.detector === "replica_divergence").length, 0);
  });
});

describe("Monitor.tick (live)", () => {
  it("measures silence on the training hosts' clock, so replayed or skewed records are not a hang", () => {
    const records = syntheticRun({ seed: 5, steps: 40 }).filter((r) => r.type !== "exit");
    const monitor = new Monitor();
    for (const r of records) monitor.add(r);
    // The server's clock is a day ahead of the records: nothing is silent yet.
    const serverNow = 1_700_000_000 + 86_400;
    assert.deepEqual(monitor.tick(serverNow), []);
    assert.deepEqual(monitor.tick(serverNow + 1), []);
  });

  it("raises a hang once the ranks stay silent past the threshold while heartbeats arrive", () => {
    const records = syntheticRun({
      seed: 5,
      steps: 40,
      sabotage: { kind: "hang", rank: 1, from: 20 },
    });
    const alive = records.filter(
      (r) => r.type !== "exit" && !(r.type === "heartbeat" && r.time > 1_700_000_003),
    );
    const monitor = new Monitor();
    for (const r of alive) monitor.add(r);
    const serverNow = 1_700_100_000;
    assert.deepEqual(monitor.tick(serverNow), []);
    const raised = monitor.tick(serverNow + 10);
    assert.equal(raised[0]?.detector, "hang");
    assert.equal(raised[0]?.rank, 1);
  });

  it("learns the step time after heartbeats that came before the first step: slow steps are no hang", () => {
    // Heartbeats from the start (data loading), then 10 s steps with a beat every 2 s: the
    // threshold must follow the step times seen since (20 × 10 s), not stay at its 3 s floor.
    const run = "slow-steps";
    const records: TelemetryRecord[] = [];
    const beat = (rank: number, time: number, step?: number) =>
      records.push({ type: "heartbeat", run, rank, time, step });
    for (let t = 0; t < 4; t++) for (let rank = 0; rank < 4; rank++) beat(rank, 1_700_000_000 + t);
    for (let step = 0; step < 120; step++) {
      const end = 1_700_000_004 + 10 * (step + 1);
      for (let beatAt = end - 8; beatAt < end; beatAt += 2) {
        for (let rank = 0; rank < 4; rank++) beat(rank, beatAt, step - 1);
      }
      for (let rank = 0; rank < 4; rank++) {
        records.push({ type: "step", run, rank, time: end, step, stepTime: 10, worldSize: 4 });
      }
    }
    const monitor = new Monitor();
    const raised = records.flatMap((r) => monitor.add(r));
    raised.push(...monitor.tick(1_700_000_004 + 10 * 120 + 5));
    assert.deepEqual(
      raised.filter((a) => a.detector === "hang"),
      [],
    );
  });
});
