import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cli } from "./cli-test-run.js";

const RUNS = "fixtures/monitor/runs";

interface Report {
  runs: Array<{ run: string; alerts: Array<Record<string, unknown>> }>;
}

describe("trainguard monitor (real process)", () => {
  it("analyze exits 0 on a healthy run and prints the issue's JSON shape", async () => {
    const { code, stdout } = await cli([
      "monitor",
      "analyze",
      `${RUNS}/control_seed1`,
      "--format",
      "json",
    ]);
    assert.equal(code, 0);
    const report = JSON.parse(stdout) as Report;
    assert.equal(report.runs[0]?.run, "mon-control-seed1");
    assert.deepEqual(report.runs[0]?.alerts, []);
  });

  it("analyze exits 1 and names detector, severity, rank and step for a sabotaged run", async () => {
    const { code, stdout } = await cli([
      "monitor",
      "analyze",
      `${RUNS}/optim_one_rank`,
      "--format",
      "json",
    ]);
    assert.equal(code, 1);
    const alert = (JSON.parse(stdout) as Report).runs[0]?.alerts[0] ?? {};
    assert.deepEqual(
      [alert["detector"], alert["severity"], alert["rank"], alert["step"]],
      ["replica_divergence", "critical", 2, 15],
    );
    assert.equal(typeof alert["message"], "string");
  });

  it("analyze prints a text summary and filters with --min-severity", async () => {
    const { code, stdout } = await cli([
      "monitor",
      "analyze",
      `${RUNS}/rank_killed`,
      "--min-severity",
      "high",
    ]);
    assert.equal(code, 1);
    assert.match(stdout, /high\s+kill_attribution\s+rank 2 step 25/);
    assert.doesNotMatch(stdout, /\binfo\b/);
  });

  it("compare exits 0 for same-seed reruns and 1 with the first divergent step", async () => {
    const same = await cli([
      "monitor",
      "compare",
      `${RUNS}/control_seed1`,
      `${RUNS}/control_seed1_rerun`,
    ]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /identical over 50 steps/);
    const differ = await cli([
      "monitor",
      "compare",
      `${RUNS}/control_seed1`,
      `${RUNS}/optim_all_ranks`,
      "--format",
      "json",
    ]);
    assert.equal(differ.code, 1);
    const report = JSON.parse(differ.stdout) as {
      first_divergence: { step: number; fields: string[] };
    };
    assert.equal(report.first_divergence.step, 15);
    assert.ok(report.first_divergence.fields.includes("param_digest"));
  });

  it("exits 2 with a clear error for a missing path, an empty file and an ambiguous compare", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tg-monitor-"));
    try {
      const missing = await cli(["monitor", "analyze", join(dir, "nope")]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^trainguard: Cannot /m);
      await writeFile(join(dir, "empty.jsonl"), "");
      const empty = await cli(["monitor", "analyze", join(dir, "empty.jsonl")]);
      assert.equal(empty.code, 2);
      assert.match(empty.stderr, /no records/);
      const ambiguous = await cli(["monitor", "compare", RUNS, `${RUNS}/control_seed1`]);
      assert.equal(ambiguous.code, 2);
      assert.match(ambiguous.stderr, /--run-a/);
      const chosen = await cli([
        "monitor",
        "compare",
        RUNS,
        RUNS,
        "--run-a",
        "mon-control-seed2",
        "--run-b",
        "mon-control-seed3",
      ]);
      assert.equal(chosen.code, 1);
      assert.match(chosen.stdout, /different seed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
