/**
 * GET /v1/alerts on a real server over each store dialect: alerts grouped by run, filtered by
 * `run`, bounded by `limit`, read access like the ledger, and kept across a restart.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type TestDatabase, testDialects } from "../../store/test-support/dialects.js";
import { BOMB_LOSS, BombMonitor, sampleStepRecord } from "../test-support/sample-telemetry.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

interface AlertsBody {
  runs: { run: string; alerts: { run: string; step: number; ledger_index: number | null }[] }[];
  truncated: boolean;
}

const bomb = (run: string, step: number) => ({
  ...sampleStepRecord(run, 0, step),
  loss: BOMB_LOSS * 2,
});

for (const target of await testDialects()) {
  describe(`GET /v1/alerts on ${target.dialect}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let t: TestServer;

    before(async () => {
      db = await target.fresh();
      t = await startTestServer(db, { monitor: new BombMonitor() });
      const records = [bomb("run-a", 1), bomb("run-b", 1), bomb("run-a", 2)];
      const response = await t.request("/v1/telemetry", { json: { records } });
      assert.equal(response.status, 200);
    });
    after(async () => {
      await t?.server.close();
      await db?.drop();
    });

    it("answers 401 without a token", async () => {
      const response = await t.request("/v1/alerts", { token: null });
      assert.equal(response.status, 401);
    });

    it("groups alerts by run in the order they were raised, each with its ledger index", async () => {
      const response = await t.request("/v1/alerts");
      assert.equal(response.status, 200);
      const body = (await response.json()) as AlertsBody;
      assert.equal(body.truncated, false);
      assert.deepEqual(
        body.runs.map((r) => [r.run, r.alerts.map((a) => a.step)]),
        [
          ["run-a", [1, 2]],
          ["run-b", [1]],
        ],
      );
      const indexes = body.runs.flatMap((r) => r.alerts.map((a) => a.ledger_index));
      assert.deepEqual([...indexes].sort(), [0, 1, 2]);
    });

    it("filters by ?run and bounds the answer by ?limit", async () => {
      let body = (await (await t.request("/v1/alerts?run=run-b")).json()) as AlertsBody;
      assert.deepEqual(
        body.runs.map((r) => r.run),
        ["run-b"],
      );
      body = (await (await t.request("/v1/alerts?run=nothing")).json()) as AlertsBody;
      assert.deepEqual(body, { runs: [], truncated: false });
      body = (await (await t.request("/v1/alerts?limit=2")).json()) as AlertsBody;
      assert.equal(body.truncated, true);
      assert.equal(
        body.runs.reduce((n, r) => n + r.alerts.length, 0),
        2,
      );
      const bad = await t.request("/v1/alerts?limit=0");
      assert.equal(bad.status, 400);
    });

    it("still serves the alerts after a restart, when the Monitor starts empty", async () => {
      const home = t.home;
      await t.server.close();
      t = await startTestServer(db, { home });
      const body = (await (await t.request("/v1/alerts?run=run-a")).json()) as AlertsBody;
      assert.equal(body.runs[0]?.alerts.length, 2);
    });
  });
}
