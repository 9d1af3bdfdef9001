/**
 * Live detection equals offline detection: the recorded 4-rank runs of fixtures/monitor are sent
 * to a real server the way the Python client sends them (each rank its own NDJSON batches,
 * concurrently), and the high and critical alerts the server raises, records in the ledger and
 * lists at GET /v1/alerts are those `monitor analyze` finds in the same files.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { analyzeRecords, isSevere } from "../monitor/analyze.js";
import { readTelemetry } from "../monitor/readers/index.js";
import { type TestDatabase, testDialects } from "../store/test-support/dialects.js";
import { startTestServer, type TestServer } from "./test-support/test-server.js";

const RUNS = fileURLToPath(new URL("../../fixtures/monitor/runs/", import.meta.url));
const VARIANTS = [
  "control_seed1",
  "control_restart",
  "optim_one_rank",
  "grad_flip",
  "weights_at_load",
  "old_checkpoint_resume",
  "rank_killed",
];
const BATCH = 40;

interface AlertsBody {
  runs: {
    run: string;
    alerts: {
      detector: string;
      severity: string;
      rank: number | null;
      ledger_index: number | null;
    }[];
  }[];
}

/** Sends one variant as its ranks would: each file in order, in batches, files concurrently. */
async function send(t: TestServer, variant: string): Promise<void> {
  const dir = join(RUNS, variant);
  await Promise.all(
    readdirSync(dir).map(async (file) => {
      const lines = readFileSync(join(dir, file), "utf8").split("\n").filter(Boolean);
      for (let i = 0; i < lines.length; i += BATCH) {
        const response = await t.request("/v1/telemetry", {
          body: `${lines.slice(i, i + BATCH).join("\n")}\n`,
          contentType: "application/x-ndjson",
        });
        assert.equal(response.status, 200, await response.text());
      }
    }),
  );
}

function key(a: { detector: string; severity: string; rank: number | null }): string {
  return `${a.detector}/${a.severity}/${a.rank}`;
}

for (const target of await testDialects()) {
  describe(`live monitor on ${target.dialect}: recorded training sent to POST /v1/telemetry`, {
    skip: target.skip,
  }, () => {
    let db: TestDatabase;
    let t: TestServer;

    before(async () => {
      db = await target.fresh();
      t = await startTestServer(db);
      for (const variant of VARIANTS) await send(t, variant);
    });
    after(async () => {
      await t?.server.close();
      await db?.drop();
    });

    for (const variant of VARIANTS) {
      it(`raises the same high and critical alerts as monitor analyze for ${variant}`, async () => {
        const offline = analyzeRecords((await readTelemetry([join(RUNS, variant)])).records);
        const run = offline.runs[0]?.run ?? "";
        const expected = [
          ...new Set((offline.runs[0]?.alerts ?? []).filter(isSevere).map(key)),
        ].sort();
        const body = (await (
          await t.request(`/v1/alerts?run=${encodeURIComponent(run)}`)
        ).json()) as AlertsBody;
        const live = body.runs.flatMap((r) => r.alerts);
        const got = [
          ...new Set(
            live.filter((a) => a.severity === "high" || a.severity === "critical").map(key),
          ),
        ].sort();
        assert.deepEqual(got, expected);
        for (const alert of live) assert.equal(typeof alert.ledger_index, "number");
      });
    }

    it("records an alert as a ledger event", async () => {
      const body = (await (
        await t.request("/v1/alerts?run=mon-optim-one-rank")
      ).json()) as AlertsBody;
      const index = body.runs[0]?.alerts[0]?.ledger_index;
      assert.equal(typeof index, "number");
      const raw = await (await t.request(`/v1/entries/${index}/raw`)).text();
      assert.match(raw, /monitor\.alert/);
      assert.match(raw, /replica_divergence|optimizer_audit/);
    });
  });
}
