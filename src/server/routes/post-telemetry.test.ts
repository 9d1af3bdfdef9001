/**
 * POST /v1/telemetry on a real server over each store dialect: authentication, all-or-nothing
 * validation naming the bad record, storage of JSON and NDJSON batches, and alerts becoming
 * ledger events (with a Monitor whose one detector the test controls).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseEventBytes } from "../../events/index.js";
import { telemetryRecords } from "../../store/index.js";
import { type TestDatabase, testDialects } from "../../store/test-support/dialects.js";
import { BOMB_LOSS, BombMonitor, sampleStepRecord } from "../test-support/sample-telemetry.js";
import { startTestServer, type TestServer } from "../test-support/test-server.js";

interface IngestBody {
  accepted: number;
  alerts: { detector: string; run: string; rank: number; ledger_index: number | null }[];
}

/** Every stored record of `run`, as JSON text, in arrival order. */
async function storedTexts(t: TestServer, run: string): Promise<string[]> {
  const texts: string[] = [];
  for await (const { text } of telemetryRecords(t.server.store, run, 2)) texts.push(text);
  return texts;
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

    it("stores a single-run JSON batch as one chunk: the body as sent, its summary columns", async () => {
      const records = Array.from({ length: 1000 }, (_, i) =>
        sampleStepRecord("json-run", i % 4, Math.floor(i / 4)),
      );
      records.push({ type: "heartbeat", run: "json-run", rank: 3, time: 5.5, step: 249 });
      const body = JSON.stringify({ records });
      const response = await t.request("/v1/telemetry", { body, contentType: "application/json" });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { accepted: 1001, alerts: [], suppressed: 0 });
      const chunks = await t.server.store.readTelemetry("json-run", 0, 10);
      assert.equal(chunks.length, 1);
      assert.deepEqual(
        { ...chunks[0]!, id: 0, receivedAt: 0 },
        {
          id: 0,
          run: "json-run",
          format: "json",
          count: 1001,
          minRank: 0,
          maxRank: 3,
          minStep: 0,
          maxStep: 249,
          minTime: 5.5,
          maxTime: records[999]!.time,
          receivedAt: 0,
          principal: "test-runner",
          body,
        },
      );
      assert.deepEqual(
        await storedTexts(t, "json-run"),
        records.map((r) => JSON.stringify(r)),
      );
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
      const lines = [
        first,
        '{"run": "nd-run", "rank": 1, "step": 0, "loss": "NaN", "note": "NaN in text"}',
      ];
      assert.deepEqual(await storedTexts(t, "nd-run"), lines);
      const [chunk] = await t.server.store.readTelemetry("nd-run", 0, 10);
      assert.equal(chunk?.format, "ndjson");
      assert.equal(chunk?.body, lines.join("\n"));
      assert.deepEqual([chunk?.minRank, chunk?.maxRank, chunk?.count], [0, 1, 2]);
      // The second record has no time: the time range is the first's alone.
      assert.equal(chunk?.minTime, sampleStepRecord("nd-run", 0, 0).time);
      assert.equal(chunk?.maxTime, chunk?.minTime);
    });

    it("reads back every record of each run in order from mixed-run JSON and NDJSON batches", async () => {
      const runs = ["mix-a", "mix-b", "mix-c"];
      const expected = new Map(runs.map((run) => [run, [] as string[]]));
      const post = async (records: Record<string, unknown>[], kind: "json" | "ndjson") => {
        const texts = records.map((r) => JSON.stringify(r));
        const response = await t.request("/v1/telemetry", {
          body: kind === "json" ? `{"records":[${texts.join(",")}]}` : `${texts.join("\n")}\n`,
          contentType: kind === "json" ? "application/json" : "application/x-ndjson",
        });
        assert.equal(response.status, 200);
        assert.equal(((await response.json()) as IngestBody).accepted, records.length);
        for (const [i, r] of records.entries()) expected.get(String(r.run))!.push(texts[i]!);
      };
      // Runs interleaved record by record, each run's steps in order across the batches.
      const batch = (from: number, runsOf: readonly string[]) =>
        Array.from({ length: 30 }, (_, i) =>
          sampleStepRecord(runsOf[i % runsOf.length]!, i % 2, from + Math.floor(i / runsOf.length)),
        );
      await post(batch(0, runs), "json");
      await post(batch(100, ["mix-a", "mix-c"]), "ndjson");
      await post(batch(200, ["mix-b"]), "json");
      await post(batch(300, ["mix-b"]), "ndjson");
      await post(batch(400, runs), "ndjson");
      for (const run of runs) {
        const texts = await storedTexts(t, run);
        assert.equal(texts.length, expected.get(run)!.length, run);
        assert.deepEqual(texts, expected.get(run), run);
        const steps = texts.map((x) => (JSON.parse(x) as { step: number }).step);
        assert.deepEqual(
          steps,
          [...steps].sort((a, b) => a - b),
          run,
        );
      }
      const chunks = await t.server.store.readTelemetry("mix-b", 0, 64);
      assert.deepEqual(
        chunks.map((c) => [c.format, c.count, c.minStep, c.maxStep]),
        [
          ["ndjson", 10, 0, 9],
          ["json", 30, 200, 229],
          ["ndjson", 30, 300, 329],
          ["ndjson", 10, 400, 409],
        ],
      );
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
