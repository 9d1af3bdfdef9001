import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Monitor } from "../monitor.js";
import type { Alert, TelemetryRecord } from "../telemetry.js";
import { GRADIENT_WINDOW } from "./gradient-outlier.js";

const DIM = 8;

/** Four ranks whose sketches agree, except rank 3's, which points the other way. */
function sketch(rank: number, step: number): number[] {
  return Array.from({ length: DIM }, (_, i) => (rank === 3 ? -1 : 1) * (1 + ((i + step) % 3)));
}

function records(shape: (values: number[]) => readonly number[]): TelemetryRecord[] {
  const out: TelemetryRecord[] = [];
  for (let step = 0; step < 2 * GRADIENT_WINDOW; step++) {
    for (let rank = 0; rank < 4; rank++) {
      out.push({
        type: "step",
        run: "r",
        rank,
        step,
        time: step,
        worldSize: 4,
        gradSketch: shape(sketch(rank, step)),
      });
    }
  }
  return out;
}

function alerts(input: readonly TelemetryRecord[]): Alert[] {
  const monitor = new Monitor();
  for (const record of input) monitor.add(record);
  monitor.finish();
  return monitor.alerts("r").filter((a) => a.detector === "gradient_outlier");
}

/** The same values with index 2 left out: a hole, or undefined, where the value was 0. */
function withZeroAt2(values: number[], missing: "hole" | "undefined" | "zero"): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    if (i !== 2) out[i] = values[i] as number;
    else if (missing === "zero") out[i] = 0;
    else if (missing === "undefined") out[i] = undefined as unknown as number;
  }
  return out;
}

describe("gradient_outlier", () => {
  it("gradient_outlier flags the rank whose sketch points against the others", () => {
    const raised = alerts(records((v) => v));
    assert.deepEqual(
      raised.map((a) => [a.rank, a.step, a.severity]),
      [[3, GRADIENT_WINDOW - 1, "high"]],
    );
  });

  it("gradient_outlier reads a sketch's missing values as 0", () => {
    const zero = alerts(records((v) => withZeroAt2(v, "zero")));
    assert.equal(zero.length, 1);
    assert.deepEqual(alerts(records((v) => withZeroAt2(v, "hole"))), zero);
    assert.deepEqual(alerts(records((v) => withZeroAt2(v, "undefined"))), zero);
  });
});
