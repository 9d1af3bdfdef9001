/**
 * The telemetry thread gives what the same engine gives on the calling thread: the same chunks
 * and the same alerts for a recorded sabotaged run, the same refusals; and a thread that dies
 * fails only the requests it held.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Monitor } from "../../monitor/index.js";
import { ServerError } from "../server-error.js";
import { InlineEngine, type TelemetryEngine } from "./telemetry-engine.js";
import { WorkerEngine } from "./worker-engine.js";

const RUN = fileURLToPath(
  new URL("../../../fixtures/monitor/runs/optim_one_rank/", import.meta.url),
);
const CONTEXT = { receivedAt: 1, principal: "test" };

/** Each file of the recorded run as one NDJSON body. */
const bodies = readdirSync(RUN)
  .filter((f) => f.endsWith(".jsonl"))
  .sort()
  .map((f) => readFileSync(join(RUN, f)));

const errors: unknown[] = [];
const log = {
  error: (object: object) => errors.push(object),
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

async function feed(engine: TelemetryEngine) {
  const chunks = [];
  const alerts = [];
  for (const body of bodies) {
    const prepared = await engine.prepare("ndjson", Buffer.from(body), CONTEXT);
    chunks.push(...prepared.chunks);
    alerts.push(...(await engine.commit(prepared.id)).alerts);
  }
  alerts.push(...(await engine.tick(Date.now() / 1000 + 3600)).alerts);
  return { chunks, alerts };
}

function refusal(code: string, pattern: RegExp) {
  return (e: unknown) => e instanceof ServerError && e.code === code && pattern.test(e.message);
}

describe("WorkerEngine", () => {
  const engines: TelemetryEngine[] = [];
  after(async () => {
    for (const engine of engines) await engine.close();
  });
  const worker = (options: Partial<ConstructorParameters<typeof WorkerEngine>[0]> = {}) => {
    const engine = new WorkerEngine({ log, ...options });
    engines.push(engine);
    return engine;
  };

  it("stores and detects on its thread exactly what the inline engine does", async () => {
    const threaded = await feed(worker());
    const inline = await feed(new InlineEngine(new Monitor()));
    // The thread's single-run chunks carry the body's bytes, to be stored as the same text.
    assert.ok(threaded.chunks.every((c) => c.body instanceof Uint8Array && c.bodyMovable));
    const asText = (chunks: typeof inline.chunks) =>
      chunks.map(({ bodyMovable: _, ...c }) => ({ ...c, body: Buffer.from(c.body).toString() }));
    assert.deepEqual(asText(threaded.chunks), asText(inline.chunks));
    assert.deepEqual(threaded.alerts, inline.alerts);
    assert.ok(
      threaded.alerts.some((a) => a.detector === "replica_divergence" && a.rank === 2),
      "the tampered rank is found on the thread",
    );
  });

  it("moves a body's buffer to the thread and back, and stores invalid UTF-8 as its decoding", async () => {
    const engine = worker();
    const lines = `${JSON.stringify({ run: "r", rank: 0, step: 1, note: "x".repeat(5000) })}\n`;
    const body = Buffer.alloc(Buffer.byteLength(lines), lines);
    const prepared = await engine.prepare("ndjson", body, CONTEXT);
    assert.equal(body.length, 0, "the request's buffer was moved, not copied");
    assert.equal(Buffer.from(prepared.chunks[0]!.body).toString(), lines.trimEnd());
    // 0xff is not UTF-8: the stored text is the decoding a string body would have had.
    const bad = Buffer.from('{"run":"r\xff","rank":0,"step":2}', "latin1");
    const [chunk] = (await engine.prepare("ndjson", bad, CONTEXT)).chunks;
    assert.equal(chunk!.body, '{"run":"r\ufffd","rank":0,"step":2}');
    assert.equal(chunk!.run, "r\ufffd");
  });

  it("takes a commit before a prepare that was waiting when the commit came", async () => {
    const engine = worker();
    const line = (run: string, step: number) => JSON.stringify({ run, rank: 0, step, time: step });
    const first = await engine.prepare("ndjson", Buffer.from(line("a", 1)), CONTEXT);
    // A large prepare keeps the thread busy while a prepare and then a commit queue up.
    const large = Array.from({ length: 40_000 }, (_, i) => line("b", i)).join("\n");
    const order: string[] = [];
    const busy = engine
      .prepare("ndjson", Buffer.from(large), CONTEXT)
      .then(() => order.push("large"));
    const waiting = engine
      .prepare("ndjson", Buffer.from(line("c", 1)), CONTEXT)
      .then(() => order.push("prepare"));
    const commit = engine.commit(first.id).then(() => order.push("commit"));
    await Promise.all([busy, waiting, commit]);
    // In one queue the commit would come last; the thread takes it before the small prepare
    // (and before the large one too if that had not started when the commit arrived).
    assert.ok(order.indexOf("commit") < order.indexOf("prepare"), order.join(", "));
  });

  it("refuses a bad body with the record's index, and forgets aborted requests", async () => {
    const engine = worker();
    await assert.rejects(
      engine.prepare("ndjson", Buffer.from('{"run":"r","step":1}\n{"run":"r","step":-1}'), CONTEXT),
      refusal("INVALID_REQUEST", /record #1 \(line 2\): "step"/),
    );
    const prepared = await engine.prepare(
      "json",
      Buffer.from('{"records":[{"run":"r","step":1}]}'),
      CONTEXT,
    );
    assert.equal(prepared.accepted, 1);
    engine.abort(prepared.id);
    await assert.rejects(engine.commit(prepared.id), refusal("INTERNAL", /not prepared/));
  });

  it("fails the request a dying thread held, logs it, and serves the next on a new thread", async () => {
    const engine = worker({
      module: new URL("../test-support/dying-telemetry-worker.ts", import.meta.url),
    });
    const good = Buffer.from('{"run":"r","step":1}');
    assert.equal((await engine.prepare("ndjson", good, CONTEXT)).accepted, 1);
    errors.length = 0;
    await assert.rejects(
      engine.prepare("ndjson", Buffer.from('{"run":"die","step":1}'), CONTEXT),
      refusal("INTERNAL", /telemetry thread stopped/),
    );
    assert.ok(errors.length > 0, "the crash is logged");
    const again = await engine.prepare("ndjson", Buffer.from(good), CONTEXT);
    assert.equal(again.accepted, 1);
    assert.equal((await engine.commit(again.id)).alerts.length, 0);
  });

  it("refuses new requests once closed", async () => {
    const engine = worker();
    await engine.close();
    await assert.rejects(
      engine.prepare("ndjson", Buffer.from('{"run":"r","step":1}'), CONTEXT),
      refusal("INTERNAL", /closing/),
    );
  });
});
