import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { scheduledLr } from "./lr-schedule.js";

describe("scheduledLr", () => {
  it("follows PyTorch's StepLR, MultiStepLR, ExponentialLR and CosineAnnealingLR", () => {
    assert.equal(scheduledLr({ kind: "step", lr: 1, stepSize: 10, gamma: 0.5 }, 25), 0.25);
    assert.equal(
      scheduledLr({ kind: "multistep", lr: 1, milestones: [5, 8], gamma: 0.1 }, 8),
      1 * 0.1 ** 2,
    );
    assert.equal(scheduledLr({ kind: "exponential", lr: 2, gamma: 0.5 }, 3), 0.25);
    assert.equal(scheduledLr({ kind: "cosine", lr: 1, tMax: 10, etaMin: 0 }, 10), 0);
    assert.ok(
      Math.abs(scheduledLr({ kind: "cosine", lr: 1, tMax: 10, etaMin: 0 }, 5) - 0.5) < 1e-12,
    );
  });

  it("ramps linearly during warmup", () => {
    assert.equal(scheduledLr({ kind: "constant", lr: 1, warmup: 4 }, 0), 0.25);
    assert.equal(scheduledLr({ kind: "constant", lr: 1, warmup: 4 }, 4), 1);
  });
});
