/**
 * The HTTP API's edges on a real server (port 0) over each store dialect: authentication, token
 * expiry and revocation, bad requests (always 4xx, never 500), the OpenAPI document, and
 * `--public-ledger`.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type TestDatabase, testDialects } from "../store/test-support/dialects.js";
import {
  sampleEvent,
  startTestServer,
  type TestServer,
  waitForCheckpoint,
} from "./test-support/test-server.js";
import { createToken } from "./tokens.js";

for (const target of await testDialects()) {
  describe(`HTTP API requests on ${target.dialect}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let t: TestServer;

    before(async () => {
      db = await target.fresh();
      t = await startTestServer(db);
      await t.request("/v1/events", { json: sampleEvent(0) });
      await waitForCheckpoint(t, 1);
    });
    after(async () => {
      await t?.server.close();
      await db?.drop();
    });

    it("every ledger read and every write needs a valid token", async () => {
      for (const route of [
        "/checkpoint",
        "/tile/0/000",
        "/v1/entries/0/raw",
        "/v1/proof/inclusion?index=0&size=1",
      ]) {
        const response = await t.request(route, { token: null });
        assert.equal(response.status, 401, route);
        assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="trainguard"');
      }
      const forged = `tg_${"0".repeat(16)}_${"A".repeat(43)}`;
      const wrongSecret = `${t.token.slice(0, 20)}${"A".repeat(43)}`;
      for (const token of [forged, wrongSecret, "garbage", t.token.toUpperCase()]) {
        const response = await t.request("/v1/events", { json: sampleEvent(1), token });
        assert.equal(response.status, 401);
        assert.equal(((await response.json()) as { code: string }).code, "UNAUTHENTICATED");
      }
      assert.equal((await t.request("/healthz", { token: null })).status, 200);
      assert.equal((await t.request("/readyz", { token: null })).status, 200);
    });

    it("expired and revoked tokens are refused; the event records the token's principal", async () => {
      const expired = await createToken(t.server.store, {
        principal: "old",
        expiresInMs: 1,
        now: Date.now() - 10,
      });
      assert.equal((await t.request("/checkpoint", { token: expired.token })).status, 401);
      const bob = await createToken(t.server.store, { principal: "bob@example.org" });
      const claim = { ...sampleEvent(9), actor: { on_behalf_of: "carol", host: "node-1" } };
      const response = await t.request("/v1/events", { json: claim, token: bob.token });
      const [index] = ((await response.json()) as { indexes: number[] }).indexes;
      const raw = await (await t.request(`/v1/entries/${index}/raw`)).json();
      assert.deepEqual((raw as { actor: unknown }).actor, {
        principal: "bob@example.org",
        token_uid: bob.id,
        on_behalf_of: "carol",
        host: "node-1",
      });
      await t.server.store.revokeToken(bob.id);
      assert.equal((await t.request("/checkpoint", { token: bob.token })).status, 401);
    });

    it("bad requests are 4xx with a clear message, never 500", async () => {
      const cases: [string, { body?: string; json?: unknown; contentType?: string }, number][] = [
        ["not JSON", { body: "{garbage" }, 400],
        ["empty body", { body: "" }, 400],
        ["array", { json: [1, 2] }, 400],
        ["null", { body: "null" }, 400],
        ["wrong types", { json: { activity: 5, outcome: { status: "success" } } }, 400],
        ["unknown status", { json: { activity: "a", outcome: { status: "maybe" } } }, 400],
        ["unknown field", { json: { ...sampleEvent(1), principal: "root" } }, 400],
        ["empty batch", { json: { events: [] } }, 400],
        ["batch of garbage", { json: { events: [1, "x", null] } }, 400],
        [
          "proto pollution",
          { body: '{"activity":"a","outcome":{"status":"success"},"__proto__":{"x":1}}' },
          400,
        ],
        ["deep nesting", { body: `${"[".repeat(5000)}${"]".repeat(5000)}` }, 400],
        ["text/plain", { body: "hello", contentType: "text/plain" }, 415],
        [
          "huge body",
          { body: JSON.stringify({ events: [], pad: "x".repeat(9 * 1024 * 1024) }) },
          413,
        ],
        [
          "event over 64 KiB",
          {
            json: {
              ...sampleEvent(1),
              details: Object.fromEntries(
                Array.from({ length: 20 }, (_, i) => [`k${i}`, "x".repeat(4000)]),
              ),
            },
          },
          413,
        ],
      ];
      for (const [name, init, status] of cases) {
        const response = await t.request("/v1/events", init);
        const body = (await response.json()) as {
          statusCode: number;
          code: string;
          message: string;
        };
        assert.equal(response.status, status, `${name}: ${JSON.stringify(body)}`);
        assert.equal(body.statusCode, status);
        assert.match(body.message, /^Cannot /, name);
      }
      const wrongType = await t.request("/v1/events", {
        json: { events: [{ activity: 5, outcome: { status: "success" } }] },
      });
      assert.match(
        ((await wrongType.json()) as { message: string }).message,
        /"\/events\/0\/activity" must be string/,
      );
      assert.equal((await t.request("/nowhere")).status, 404);
    });

    it("GET /openapi.json documents the routes with the request schemas", async () => {
      const response = await t.request("/openapi.json", { token: null });
      const doc = (await response.json()) as {
        openapi: string;
        paths: Record<
          string,
          Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
        >;
      };
      assert.equal(doc.openapi, "3.1.0");
      for (const p of [
        "/v1/events",
        "/checkpoint",
        "/v1/proof/inclusion",
        "/v1/proof/consistency",
        "/healthz",
        "/readyz",
      ]) {
        assert.ok(doc.paths[p] !== undefined, p);
      }
      const schema = JSON.stringify(
        doc.paths["/v1/events"]?.post?.requestBody?.content["application/json"]?.schema,
      );
      assert.match(schema, /correlation_uid/);
      assert.match(schema, /"events"/);
    });
  });
}

describe("--public-ledger", () => {
  it("serves ledger reads without a token but still needs one to append", async () => {
    const [sqlite] = await testDialects();
    const db = await sqlite!.fresh();
    const t = await startTestServer(db, { publicLedger: true });
    try {
      await t.request("/v1/events", { json: sampleEvent(1) });
      await waitForCheckpoint(t, 1);
      assert.equal((await t.request("/checkpoint", { token: null })).status, 200);
      assert.equal((await t.request("/v1/entries/0/raw", { token: null })).status, 200);
      assert.equal((await t.request("/tile/0/000.p/1", { token: null })).status, 200);
      assert.equal(
        (await t.request("/v1/events", { json: sampleEvent(2), token: null })).status,
        401,
      );
    } finally {
      await t.server.close();
      await db.drop();
    }
  });
});
