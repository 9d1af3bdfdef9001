/**
 * POST /v1/telemetry on a real server over each store dialect: authentication, all-or-nothing
 * validation naming the bad record, storage of JSON and NDJSON batches, and alerts becoming
 * ledger events (with a Monitor whose one detector the test controls).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseEventBytes } from "../../events/index.js";
import { type TestDatabase, testDialects } from "../../store/test-support/dialects.js";
import { BOMB_LOSS, BombMonitor, sampleStepRecord } from "../test-support/sample-telemetry.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

interface IngestBody {
  accepted: number;
  alerts: { detector: string; run: string; rank: number; ledger_index: number | null }[];
}

for (const target of await testDialects()) {
  describe(`POST /v1/telemetry on ${target.dialect}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let t: TestServer;
    const monitor = new BombMonitor();

    before(async () => {
      db = await target.fresh();
      t = await startTestServer(db, { monitor, monitorTickMs: 20 });
    });
    after(async () => {
      await t?.server.close();
      await db?.drop();
    });

    it("refuses a request without a valid token with 401 and stores nothing", async () => {
      const json = { records: [sampleStepRecord("auth", 0, 0)] };
      for (const token of [null, "tg_0000000000000000_nope"]) {
        const response = await t.request("/v1/telemetry", { json, token });
        assert.equal(response.status, 401);
        assert.equal(((await response.json()) as { code: string }).code, "UNAUTHENTICATED");
      }
      assert.deepEqual(await t.server.store.readTelemetry("auth", 0, 10), []);
    });

    it("refuses a batch with one bad record with 400 naming its index, storing none", async () => {
      const records = [0, 1, 2, 3].map((s) => sampleStepRecord("bad", 0, s));
      records[2] = { ...records[2], step: "three" };
      let response = await t.request("/v1/telemetry", { json: { records } });
      assert.equal(response.status, 400);
      let body = (await response.json()) as { code: string; message: string };
      assert.equal(body.code, "INVALID_REQUEST");
      assert.match(body.message, /record #2: "step"/);
      const lines = `${JSON.stringify(records[0])}\n{"run":"bad","rank":-1,"step":1}\n`;
      response = await t.request("/v1/telemetry", {
        body: lines,
        contentType: "application/x-ndjson",
      });
      assert.equal(response.status, 400);
      body = (await response.json()) as { code: string; message: string };
      assert.match(body.message, /record #1 \(line 2\): "rank"/);
      assert.deepEqual(await t.server.store.readTelemetry("bad", 0, 10), []);
    });

    it("refuses bodies that are not JSON, not a batch, or of another media type", async () => {
      const cases: [string, string, number][] = [
        ["{", "application/json", 400],
        ['{"records": []}', "application/json", 400],
        ['{"records": [], "extra": 1}', "application/json", 400],
        ["[]", "application/json", 400],
        ["\n\n", "application/x-ndjson", 400],
        ['{"run":"x","step":1}', "text/plain", 415],
      ];
      for (const [body, contentType, status] of cases) {
        const response = await t.request("/v1/telemetry", { body, contentType });
        assert.equal(response.status, status, `${contentType} ${JSON.stringify(body)}`);
      }
    });

    it("stores every record of a JSON batch with its columns and the token's principal", async () => {
      const records = Array.from({ length: 1000 }, (_, i) =>
        sampleStepRecord("json-run", i % 4, Math.floor(i / 4)),
      );
      records.push({ type: "heartbeat", run: "json-run", rank: 3, time: 5.5, step: 249 });
      const response = await t.request("/v1/telemetry", { json: { records } });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { accepted: 1001, alerts: [], suppressed: 0 });
      const rows = await t.server.store.readTelemetry("json-run", 0, 2000);
      assert.equal(rows.length, 1001);
      assert.deepEqual(
        rows.map((r) => JSON.parse(r.body)),
        records.map((r) => JSON.parse(JSON.stringify(r))),
      );
      const last = rows.at(-1)!;
      assert.deepEqual(
        { ...last, id: 0, receivedAt: 0, body: "" },
        {
          id: 0,
          run: "json-run",
          rank: 3,
          type: "heartbeat",
          step: 249,
          time: 5.5,
          receivedAt: 0,
          principal: "test-runner",
          body: "",
        },
      );
      assert.equal(rows[5]!.step, 1);
      assert.equal(rows[5]!.rank, 1);
    });

    it("stores NDJSON lines as sent, quoting Python's bare NaN and skipping blank lines", async () => {
      const first = JSON.stringify(sampleStepRecord("nd-run", 0, 0));
      const body = `${first}\r\n\n{"run": "nd-run", "rank": 1, "step": 0, "loss": NaN, "note": "NaN in text"}\n`;
      const response = await t.request("/v1/telemetry", {
        body,
        contentType: "application/x-ndjson",
      });
      assert.equal(response.status, 200);
      assert.equal(((await response.json()) as IngestBody).accepted, 2);
      const rows = await t.server.store.readTelemetry("nd-run", 0, 10);
      assert.deepEqual(
        rows.map((r) => r.body),
        [first, '{"run": "nd-run", "rank": 1, "step": 0, "loss": "NaN", "note": "NaN in text"}'],
      );
      assert.equal(rows[1]!.time, null);
    });

    it("records an alert raised by a record as a ledger event readable at /v1/entries/<i>/raw", async () => {
      const bomb = { ...sampleStepRecord("bomb-run", 2, 7), loss: BOMB_LOSS * 10 };
      const response = await t.request("/v1/telemetry", {
        json: { records: [sampleStepRecord("bomb-run", 1, 7), bomb] },
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as IngestBody;
      assert.equal(body.accepted, 2);
      assert.equal(body.alerts.length, 1);
      const alert = body.alerts[0]!;
      assert.deepEqual(
        { detector: alert.detector, run: alert.run, rank: alert.rank },
        { detector: "loss-bomb", run: "bomb-run", rank: 2 },
      );
      assert.equal(typeof alert.ledger_index, "number");
      const raw = await t.request(`/v1/entries/${alert.ledger_index}/raw`);
      assert.equal(raw.status, 200);
      const event = parseEventBytes(new Uint8Array(await raw.arrayBuffer()));
      assert.equal(event.activity, "monitor.alert");
      assert.equal(event.severity_id, 5);
      assert.equal(event.correlation_uid, "bomb-run");
      assert.equal(event.actor.principal, "trainguard-monitor");
      assert.equal(event.actor.on_behalf_of, "test-runner");
      assert.deepEqual(event.resources, [
        { type: "run", uid: "bomb-run" },
        { type: "rank", uid: "bomb-run/rank/2" },
      ]);
      assert.equal(event.details?.detector, "loss-bomb");
      assert.equal(event.details?.step, 7);
      assert.deepEqual(JSON.parse(String(event.details?.evidence)), {
        loss: BOMB_LOSS * 10,
        threshold: BOMB_LOSS,
        ratio: "Infinity",
      });
    });

    it("records alerts of the silence detectors from the tick timer", async () => {
      monitor.silence = "quiet-run";
      const deadline = Date.now() + 3000;
      let alerts: { detector: string; ledger_index: number | null }[] = [];
      while (alerts.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const response = await t.request("/v1/alerts?run=quiet-run");
        const body = (await response.json()) as { runs: { alerts: typeof alerts }[] };
        alerts = body.runs[0]?.alerts.filter((a) => a.ledger_index !== null) ?? [];
      }
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.detector, "silence");
      const raw = await t.request(`/v1/entries/${alerts[0]!.ledger_index}/raw`);
      const event = parseEventBytes(new Uint8Array(await raw.arrayBuffer()));
      assert.equal(event.actor.principal, "trainguard-monitor");
      assert.equal(event.actor.token_uid, "none");
      assert.equal(event.actor.on_behalf_of, undefined);
    });
  });
}
