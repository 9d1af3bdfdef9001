import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTelemetryRecord } from "./parse-record.js";
import { TelemetryError } from "./telemetry-error.js";

function code(value: unknown): string | undefined {
  try {
    parseTelemetryRecord(value, "t.jsonl:1");
    return undefined;
  } catch (error) {
    assert.ok(error instanceof TelemetryError);
    return error.code;
  }
}

describe("parseTelemetryRecord", () => {
  it("reads a step record with every documented field", () => {
    const record = parseTelemetryRecord(
      {
        run: "r",
        rank: 2,
        world_size: 4,
        step: 7,
        time: 1.5,
        loss: "NaN",
        lr: 0.1,
        grad_norm: "Infinity",
        local_grad_norm: 2,
        grad_sketch: [1, -1, "-Infinity"],
        param_digest: "aa",
        rng_digest: { torch: "bb" },
        batch_digest: "cc",
        config_digest: "dd",
        step_time: 0.2,
        wait_time: 0.1,
        optimizer: { lr: 0.1, momentum: 0.9, nesterov: false },
        update_check: { rel_err: 1e-7 },
      },
      "t.jsonl:1",
    );
    assert.equal(record.type, "step");
    if (record.type !== "step") return;
    assert.equal(record.rank, 2);
    assert.ok(Number.isNaN(record.loss));
    assert.equal(record.gradNorm, Number.POSITIVE_INFINITY);
    assert.deepEqual(record.gradSketch, [1, -1, Number.NEGATIVE_INFINITY]);
    assert.deepEqual(record.optimizer, { lr: 0.1, momentum: 0.9, nesterov: 0 });
    assert.equal(record.updateRelErr, 1e-7);
    assert.equal(record.source, "t.jsonl:1");
  });

  it("reads the run records and a declared schedule", () => {
    const start = parseTelemetryRecord(
      {
        type: "start",
        run: "r",
        rank: 0,
        time: 1,
        seed: 3,
        lr_schedule: { kind: "step", lr: 1, step_size: 10, gamma: 0.5 },
      },
      "x",
    );
    assert.deepEqual(start.type === "start" ? start.lrSchedule : null, {
      kind: "step",
      lr: 1,
      stepSize: 10,
      gamma: 0.5,
    });
    const exit = parseTelemetryRecord(
      {
        type: "exit",
        run: "r",
        rank: 1,
        time: 2,
        code: null,
        signal: "SIGKILL",
        source: "launcher",
      },
      "x",
    );
    assert.equal(exit.type === "exit" ? exit.exitSource : null, "launcher");
    assert.equal(exit.type === "exit" ? exit.signal : null, "SIGKILL");
  });

  it("fills run and rank from defaults for plain metric logs", () => {
    const record = parseTelemetryRecord({ step: 1, loss: 0.5 }, "m.jsonl:1", { run: "m", rank: 0 });
    assert.equal(record.run, "m");
    assert.ok(Number.isNaN(record.time));
  });

  for (const [name, value] of [
    ["a non-object", [1, 2]],
    ["a missing run", { step: 1 }],
    ["a negative rank", { run: "r", rank: -1, step: 1 }],
    ["a fractional step", { run: "r", step: 1.5 }],
    ["a string loss", { run: "r", step: 1, loss: "low" }],
    ["an unknown type", { run: "r", type: "party" }],
    ["a checkpoint without action", { run: "r", type: "checkpoint" }],
    ["an oversized sketch", { run: "r", step: 1, grad_sketch: new Array(2000).fill(0) }],
    ["an unknown schedule", { run: "r", type: "start", lr_schedule: { kind: "magic", lr: 1 } }],
    ["a digest that is a number", { run: "r", step: 1, param_digest: 5 }],
    // "constructor" is in every object's prototype chain, not a non-finite token.
    ["a loss named after an Object property", { run: "r", step: 1, loss: "constructor" }],
    ["a sketch value named after one", { run: "r", step: 1, grad_sketch: [1, "toString"] }],
  ] as const) {
    it(`refuses ${name} with MALFORMED`, () => {
      assert.equal(code(value), "MALFORMED");
    });
  }

  it("skips a hyperparameter string named after an Object property", () => {
    const r = parseTelemetryRecord(
      { run: "r", step: 1, optimizer: { lr: 0.1, name: "constructor" } },
      "x",
    );
    assert.deepEqual(r.type === "step" ? r.optimizer : undefined, { lr: 0.1 });
  });
});
