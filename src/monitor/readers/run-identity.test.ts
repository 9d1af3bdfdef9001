import assert from "node:assert/strict";
import { test } from "node:test";
import { relativeStem, runIdentity } from "./run-identity.js";

test("runIdentity() takes the rank from a rank<N> segment or name suffix and drops it from the run", () => {
  const cases: [string, string, number | undefined][] = [
    ["plain/metrics", "plain/metrics", undefined],
    ["job/rank3/metrics", "job/metrics", 3],
    ["job/metrics-rank12", "job/metrics", 12],
    ["mon-seed1.rank0", "mon-seed1", 0],
    ["job/worker_rank_2", "job/worker", 2],
    ["rank1", "fallback", 1],
    ["", "fallback", undefined],
    ["ranking/franken", "ranking/franken", undefined],
    ["rank0/rank1", "fallback", 1],
  ];
  for (const [relative, run, rank] of cases) {
    assert.deepEqual(runIdentity(relative, "fallback"), { run, rank }, relative);
  }
});

test("relativeStem() drops the last extension only and uses / separators", () => {
  assert.equal(relativeStem("/logs", "/logs/a/b.v2.jsonl"), "a/b.v2");
  assert.equal(relativeStem("/logs", "/logs/metrics"), "metrics");
});
