import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeRecords } from "../analyze.js";
import type { TelemetryRecord } from "../telemetry.js";

const base = { run: "r", rank: 0 } as const;

function steps(from: number, to: number, t0: number): TelemetryRecord[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({
    ...base,
    type: "step" as const,
    step: from + i,
    time: t0 + i,
  }));
}

function alerts(records: TelemetryRecord[]) {
  return analyzeRecords(records).runs[0]?.alerts ?? [];
}

describe("checkpoint_chain and log_rollback", () => {
  const save = (step: number, digest: string, params: string, time: number): TelemetryRecord => ({
    ...base,
    type: "checkpoint",
    action: "save",
    step,
    path: `ckpt-${step}.pt`,
    digest,
    paramDigest: params,
    time,
  });
  const load = (step: number, digest: string, params: string, time: number): TelemetryRecord => ({
    ...base,
    type: "checkpoint",
    action: "load",
    step,
    path: `ckpt-${step}.pt`,
    digest,
    paramDigest: params,
    time,
  });
  const start = (time: number): TelemetryRecord => ({ ...base, type: "start", time });

  it("stays quiet on a resume from the newest checkpoint as saved", () => {
    const found = alerts([
      start(0),
      ...steps(0, 29, 1),
      save(29, "f29", "p29", 40),
      start(50),
      load(29, "f29", "p29", 51),
      ...steps(30, 40, 52),
    ]);
    assert.deepEqual(
      found.filter((a) => a.severity !== "info"),
      [],
    );
  });

  it("is critical when the file changed since it was saved, and when weights differ after loading", () => {
    const found = alerts([
      start(0),
      ...steps(0, 29, 1),
      save(29, "f29", "p29", 40),
      start(50),
      load(29, "evil", "px", 51),
      ...steps(30, 40, 52),
    ]);
    const chain = found.filter(
      (a) => a.detector === "checkpoint_chain" && a.severity === "critical",
    );
    assert.equal(chain.length, 2);
    assert.match(chain[0]?.message ?? "", /changed since it was saved|differ from the/);
  });

  it("is critical when weights change while loading an unchanged file", () => {
    const found = alerts([
      ...steps(0, 29, 1),
      save(29, "f29", "p29", 40),
      load(29, "f29", "px", 51),
    ]);
    assert.ok(
      found.some(
        (a) =>
          a.detector === "checkpoint_chain" &&
          a.severity === "critical" &&
          /weights were altered/.test(a.message),
      ),
    );
  });

  it("flags a resume from an older checkpoint as high and the redone steps as explained", () => {
    const found = alerts([
      ...steps(0, 29, 1),
      save(10, "f10", "p10", 12),
      save(29, "f29", "p29", 40),
      start(50),
      load(10, "f10", "p10", 51),
      ...steps(11, 20, 52),
    ]);
    assert.ok(
      found.some(
        (a) => a.detector === "checkpoint_chain" && a.severity === "high" && a.step === 10,
      ),
    );
    assert.ok(found.some((a) => a.detector === "log_rollback" && a.severity === "info"));
  });

  it("flags steps that go back with nothing to explain them as high, and after a restart as a warning", () => {
    const silent = alerts([...steps(0, 29, 1), ...steps(20, 25, 40)]);
    assert.ok(
      silent.some((a) => a.detector === "log_rollback" && a.severity === "high" && a.step === 20),
    );
    const restarted = alerts([...steps(0, 29, 1), start(39), ...steps(20, 25, 40)]);
    assert.ok(restarted.some((a) => a.detector === "log_rollback" && a.severity === "warning"));
  });
});
