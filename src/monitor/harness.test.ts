/**
 * The proof on real training: telemetry recorded by scripts/monitor/record.py from 4-rank gloo
 * DistributedDataParallel runs of Debian's torch 1.13 (clean controls and sabotage variants),
 * committed under fixtures/monitor/ so this runs without torch. Every sabotage must be caught by
 * its expected detector on the right rank at or after its onset; no control may raise anything
 * critical (nor high: a healthy run must not fail `monitor analyze`).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { analyzeRecords, isSevere } from "./analyze.js";
import { compareRuns } from "./compare.js";
import { readTelemetry } from "./readers/index.js";

const ROOT = fileURLToPath(new URL("../../fixtures/monitor/", import.meta.url));

interface Variant {
  readonly kind: "control" | "sabotage";
  readonly run: string;
  readonly description: string;
  readonly onset_step: number | null;
  readonly rank: number | null;
  readonly expect: readonly string[];
}

const manifestPath = join(ROOT, "expected.json");
const variants: Record<string, Variant> = existsSync(manifestPath)
  ? (JSON.parse(readFileSync(manifestPath, "utf8")) as { variants: Record<string, Variant> })
      .variants
  : {};

async function analyzeVariant(name: string) {
  const read = await readTelemetry([join(ROOT, "runs", name)]);
  assert.deepEqual(read.problems, [], `${name}: unreadable records`);
  return analyzeRecords(read.records);
}

describe("monitor on recorded 4-rank PyTorch training (fixtures/monitor)", () => {
  it("has the recorded variants", () => {
    assert.ok(
      Object.keys(variants).length >= 15,
      "fixtures/monitor/expected.json is missing or short",
    );
  });

  for (const [name, variant] of Object.entries(variants)) {
    if (variant.kind === "control") {
      it(`raises nothing critical or high on control ${name}`, async (t) => {
        const report = await analyzeVariant(name);
        const alerts = report.runs.flatMap((r) => r.alerts);
        t.diagnostic(
          `${name}: ${alerts.map((a) => `${a.severity} ${a.detector}`).join(", ") || "no alerts"}`,
        );
        assert.deepEqual(alerts.filter(isSevere), []);
      });
      continue;
    }
    it(`raises a high or critical alert from an expected detector on ${name}`, async () => {
      const report = await analyzeVariant(name);
      const alerts = report.runs.flatMap((r) => r.alerts);
      assert.ok(
        alerts.some((a) => variant.expect.includes(a.detector) && isSevere(a)),
        `${name}: ${JSON.stringify(alerts.map((a) => [a.detector, a.severity, a.rank]))}`,
      );
    });
    for (const detector of variant.expect) {
      it(`catches ${name} with ${detector} on rank ${variant.rank ?? "any"}`, async (t) => {
        const report = await analyzeVariant(name);
        const alerts = report.runs.flatMap((r) => r.alerts).filter((a) => a.detector === detector);
        const hit =
          alerts.find((a) => isSevere(a) && (variant.rank === null || a.rank === variant.rank)) ??
          alerts.find((a) => variant.rank === null || a.rank === variant.rank);
        assert.ok(
          hit,
          `${name}: no ${detector} alert on rank ${variant.rank}: ${JSON.stringify(alerts)}`,
        );
        if (variant.onset_step !== null && hit.step !== null) {
          assert.ok(
            hit.step >= variant.onset_step - 1,
            `${name}: alert at step ${hit.step} before the onset ${variant.onset_step}`,
          );
        }
        t.diagnostic(
          `detection ${name} | ${detector} | rank ${hit.rank ?? "-"} | ${hit.severity} | onset ${variant.onset_step ?? "-"} | ` +
            `alert step ${hit.step ?? "-"} | ${hit.message}`,
        );
      });
    }
  }

  it("finds same-seed reruns bitwise identical and a hooked seed divergent", async () => {
    const a = await readTelemetry([join(ROOT, "runs", "control_seed1")]);
    const b = await readTelemetry([join(ROOT, "runs", "control_seed1_rerun")]);
    const runA = variants["control_seed1"]?.run ?? "";
    const runB = variants["control_seed1_rerun"]?.run ?? "";
    const same = compareRuns({ run: runA, records: a.records }, { run: runB, records: b.records });
    assert.equal(same.identical, true, JSON.stringify(same.first_divergence));
    assert.ok(same.compared_steps >= 20);
    const hooked = await readTelemetry([join(ROOT, "runs", "seed_hook")]);
    const runH = variants["seed_hook"]?.run ?? "";
    const differ = compareRuns(
      { run: runA, records: a.records },
      { run: runH, records: hooked.records },
    );
    assert.equal(differ.identical, false);
  });
});
