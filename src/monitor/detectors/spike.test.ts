import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeRecords } from "../analyze.js";
import type { TelemetryRecord } from "../telemetry.js";

/** One rank's loss, step by step; the all-reduced norm stays flat. */
function run(loss: (step: number) => number, steps: number): TelemetryRecord[] {
  return Array.from({ length: steps }, (_, step) => ({
    type: "step",
    run: "s",
    rank: 0,
    step,
    time: step,
    worldSize: 1,
    loss: loss(step),
    gradNorm: 1 + 0.01 * Math.sin(step),
  }));
}

const wobble = (step: number) => 1 + 0.05 * Math.sin(step * 1.7);

describe("spike", () => {
  it("is silent on a loss that wobbles", () => {
    const alerts = analyzeRecords(run(wobble, 500)).runs[0]?.alerts ?? [];
    assert.deepEqual(alerts, []);
  });

  it("warns on one spike, naming its step and the limit it crossed", () => {
    const alerts = analyzeRecords(run((s) => (s === 300 ? 40 : wobble(s)), 500)).runs[0]?.alerts;
    assert.equal(alerts?.length, 1);
    assert.equal(alerts?.[0]?.detector, "spike");
    assert.equal(alerts?.[0]?.severity, "warning");
    assert.equal(alerts?.[0]?.step, 300);
    assert.equal(alerts?.[0]?.evidence.rule, "mean+6sigma");
  });

  it("raises a level shift once as persistent, however long it lasts", () => {
    // Every value after step 200 is a spike against the window before it (spikes stay out of
    // the window): two warnings, then one high alert for the rate, and nothing more over the
    // next 20,000 steps.
    const alerts = analyzeRecords(run((s) => (s < 200 ? wobble(s) : 50), 20_200)).runs[0]?.alerts;
    const bySteps = [...(alerts ?? [])].sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
    assert.deepEqual(
      bySteps.map((a) => [a.severity, a.step]),
      [
        ["warning", 200],
        ["warning", 201],
        ["high", 202],
      ],
    );
    assert.match(bySteps[2]?.message ?? "", /spiked 3 times in the last 50 steps on rank 0/);
  });
});
