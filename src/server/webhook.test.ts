/**
 * Webhooks against a real local HTTP server (node:http): payload shape, retries with backoff,
 * no retry of a refusal, bounded queue, unreachable URLs, and the end-to-end path from a
 * telemetry record to a delivered alert.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { SILENT_LOG } from "../ledger/service/index.js";
import { testDialects } from "../store/test-support/dialects.js";
import { ServerError } from "./server-error.js";
import type { AlertJson } from "./telemetry/alert-json.js";
import { BOMB_LOSS, BombMonitor, sampleStepRecord } from "./test-support/sample-telemetry.js";
import { startTestServer } from "./test-support/test-server.js";
import { parseWebhookUrl, WebhookDispatcher, type WebhookPayload } from "./webhook.js";

interface Receiver {
  readonly url: string;
  readonly received: WebhookPayload[];
  /** Status to answer for each request, in order; 200 once exhausted. */
  readonly statuses: number[];
  requests: number;
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

async function receiver(): Promise<Receiver> {
  const state = { received: [] as WebhookPayload[], statuses: [] as number[], requests: 0 };
  const waiters: (() => void)[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      state.requests++;
      const status = state.statuses.shift() ?? 200;
      if (status === 200) {
        assert.equal(request.headers["content-type"], "application/json");
        state.received.push(JSON.parse(body) as WebhookPayload);
      }
      response.writeHead(status).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const r: Receiver = {
    url: `http://127.0.0.1:${port}/hook`,
    received: state.received,
    statuses: state.statuses,
    get requests() {
      return state.requests;
    },
    async waitFor(count) {
      const deadline = Date.now() + 5000;
      while (state.received.length < count) {
        if (Date.now() > deadline) throw new Error(`received ${state.received.length}/${count}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return r;
}

/** Waits until `d` has finished with `count` alerts (delivered or dropped). */
async function settled(d: WebhookDispatcher, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const { delivered, dropped } = d.stats();
    if (delivered + dropped >= count) return;
    if (Date.now() > deadline) throw new Error(`settled ${delivered + dropped}/${count}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const alert = (n: number): AlertJson => ({
  detector: "loss-bomb",
  severity: "critical",
  run: `run-${n}`,
  rank: 0,
  step: n,
  message: `alert ${n}`,
  evidence: { n },
});

const dispatcher = (
  urls: string[],
  extra: Partial<ConstructorParameters<typeof WebhookDispatcher>[0]> = {},
) =>
  new WebhookDispatcher({
    urls,
    server: () => "http://trainguard.test",
    log: SILENT_LOG,
    backoffMs: 10,
    ...extra,
  });

describe("WebhookDispatcher", () => {
  let hook: Receiver;
  before(async () => {
    hook = await receiver();
  });
  after(async () => {
    await hook.close();
  });

  it("posts {alert, ledger_index, server} to every URL, in order", async () => {
    const second = await receiver();
    const d = dispatcher([hook.url, second.url]);
    d.send(alert(1), 7);
    d.send(alert(2), null);
    await hook.waitFor(2);
    await second.waitFor(2);
    await settled(d, 4);
    assert.deepEqual(hook.received.splice(0), [
      { alert: alert(1), ledger_index: 7, server: "http://trainguard.test" },
      { alert: alert(2), ledger_index: null, server: "http://trainguard.test" },
    ]);
    assert.equal(second.received.length, 2);
    assert.deepEqual(d.stats(), { delivered: 4, dropped: 0 });
    await d.close();
    await second.close();
  });

  it("retries a 503 and a 429 with backoff, then delivers", async () => {
    hook.statuses.push(503, 429);
    const before = hook.requests;
    const d = dispatcher([hook.url]);
    d.send(alert(3), 1);
    await settled(d, 1);
    assert.equal(hook.requests - before, 3);
    assert.deepEqual(d.stats(), { delivered: 1, dropped: 0 });
    hook.received.splice(0);
    await d.close();
  });

  it("does not retry a 400 and counts the alert as dropped", async () => {
    hook.statuses.push(400);
    const before = hook.requests;
    const d = dispatcher([hook.url]);
    d.send(alert(4), 1);
    d.send(alert(5), 2);
    await settled(d, 2);
    assert.equal(hook.requests - before, 2);
    assert.equal(hook.received.splice(0)[0]?.alert.step, 5);
    assert.deepEqual(d.stats(), { delivered: 1, dropped: 1 });
    await d.close();
  });

  it("drops alerts past the queue limit without blocking the sender", async () => {
    const d = dispatcher([hook.url], { queueLimit: 3 });
    const start = performance.now();
    for (let i = 0; i < 10; i++) d.send(alert(10 + i), i);
    assert.ok(performance.now() - start < 50);
    // The first is being sent; three wait in the queue; six are dropped.
    await settled(d, 10);
    assert.deepEqual(d.stats(), { delivered: 4, dropped: 6 });
    hook.received.splice(0);
    await d.close();
  });

  it("gives up on an unreachable URL after its attempts", async () => {
    const gone = await receiver();
    await gone.close();
    const d = dispatcher([gone.url], { attempts: 3 });
    d.send(alert(20), 1);
    await settled(d, 1);
    assert.deepEqual(d.stats(), { delivered: 0, dropped: 1 });
    await d.close();
  });

  it("refuses webhook URLs that are not http: or https:", () => {
    for (const url of ["file:///etc/passwd", "not a url", "ftp://x/"]) {
      assert.throws(
        () => parseWebhookUrl(url),
        (e: unknown) => e instanceof ServerError && e.code === "INVALID_CONFIG",
      );
    }
    assert.equal(parseWebhookUrl("https://hooks.example/a?b=1"), "https://hooks.example/a?b=1");
  });
});

const [sqlite] = await testDialects();

describe("serve --webhook", () => {
  it("posts the alert a telemetry record raises, with its ledger index and the server URL", async () => {
    const hook = await receiver();
    const db = await sqlite!.fresh();
    const t = await startTestServer(db, { monitor: new BombMonitor(), webhooks: [hook.url] });
    try {
      const records = [{ ...sampleStepRecord("hooked", 1, 3), loss: BOMB_LOSS * 3 }];
      const response = await t.request("/v1/telemetry", { json: { records } });
      const body = (await response.json()) as { alerts: { ledger_index: number }[] };
      await hook.waitFor(1);
      const payload = hook.received[0]!;
      assert.equal(payload.server, t.url);
      assert.equal(payload.ledger_index, body.alerts[0]!.ledger_index);
      assert.deepEqual(
        [payload.alert.detector, payload.alert.run, payload.alert.rank, payload.alert.step],
        ["loss-bomb", "hooked", 1, 3],
      );
    } finally {
      await t.server.close();
      await db.drop();
      await hook.close();
    }
  });
});
