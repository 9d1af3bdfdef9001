import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeRecords } from "./analyze.js";
import { RunState, STEP_FLUSH_LAG } from "./run-state.js";
import type { StepRecord } from "./telemetry.js";

const step = (rank: number, n: number, extra: Partial<StepRecord> = {}): StepRecord => ({
  type: "step",
  run: "r",
  rank,
  step: n,
  time: n,
  worldSize: 20,
  ...extra,
});

describe("RunState step table", () => {
  it("completes a step once every rank reported it, ranks in the order they first reported", () => {
    const state = new RunState("r");
    const order = [7, 3, 19, 0, 18, 1, 2, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
    for (const rank of order.slice(0, -1)) assert.deepEqual(state.observe(step(rank, 0)), []);
    // A rank reporting the step again replaces its record in place (past 16 ranks the rows are
    // found through a map, below it by a scan: both paths run here).
    const again = step(3, 0, { loss: 2 });
    assert.deepEqual(state.observe(again), []);
    const ready = state.observe(step(17, 0));
    assert.equal(ready.length, 1);
    const rows = ready[0];
    assert.equal(rows?.step, 0);
    assert.deepEqual(rows?.ranks, order);
    assert.equal(rows?.size, 20);
    assert.equal(rows?.get(3), again);
    assert.equal(rows?.get(17)?.rank, 17);
    assert.equal(rows?.get(20), undefined);
    assert.equal(rows?.minRank(), 0);
  });

  it("flushes a step a rank never reports once the run is STEP_FLUSH_LAG steps past it", () => {
    const state = new RunState("r");
    state.observe(step(0, 0, { worldSize: 2 }));
    let flushed: number[] = [];
    for (let n = 1; n <= STEP_FLUSH_LAG && flushed.length === 0; n++) {
      flushed = state.observe(step(0, n, { worldSize: 2 })).map((rows) => rows.step);
    }
    assert.deepEqual(flushed, [0]);
    assert.deepEqual(
      state.drain().map((rows) => rows.step),
      Array.from({ length: STEP_FLUSH_LAG }, (_, k) => k + 1),
    );
  });

  it("names a diverging replica among 20 ranks, each rank once", () => {
    const records = [];
    for (let n = 0; n < 3; n++) {
      for (let rank = 19; rank >= 0; rank--) {
        const digest = rank === 17 && n === 2 ? "tampered" : `p${n}`;
        records.push(step(rank, n, { paramDigest: digest }));
        // Rank 5 reports step 2 twice: the table keeps one row for it.
        if (rank === 5 && n === 2) records.push(step(rank, n, { paramDigest: digest }));
      }
    }
    const alerts = analyzeRecords(records).runs[0]?.alerts ?? [];
    const divergence = alerts.filter((a) => a.detector === "replica_divergence");
    assert.equal(divergence.length, 1);
    assert.equal(divergence[0]?.rank, 17);
    assert.equal(divergence[0]?.step, 2);
    assert.equal(divergence[0]?.severity, "critical");
    const evidence = divergence[0]?.evidence as {
      ranks_reporting: number[];
      reference_ranks: number[];
    };
    assert.deepEqual(
      evidence.ranks_reporting,
      Array.from({ length: 20 }, (_, k) => k),
    );
    assert.equal(evidence.reference_ranks.length, 19);
  });
});
