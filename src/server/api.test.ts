/**
 * The ledger HTTP API on a real server (port 0) over each store dialect: appends, exact entry
 * bytes, checkpoints, tiles, and proofs checked with an independent RFC 9162 implementation.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openCheckpoint, parseVerifierKey } from "../ledger/index.js";
import { type TestDatabase, testDialects } from "../store/test-support/dialects.js";
import {
  checkConsistency,
  checkInclusion,
  consistency,
  leafOf,
  mth,
  path,
} from "./test-support/rfc9162.js";
import {
  sampleEvent,
  startTestServer,
  type TestServer,
  waitForCheckpoint,
} from "./test-support/test-server.js";

const b64 = (h: Uint8Array) => Buffer.from(h).toString("base64");

for (const target of await testDialects()) {
  describe(`HTTP API on ${target.dialect}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let t: TestServer;
    const entries: Buffer[] = [];

    before(async () => {
      db = await target.fresh();
      t = await startTestServer(db);
    });
    after(async () => {
      await t?.server.close();
      await db?.drop();
    });

    it("POST /v1/events appends one event and a batch, answering their indexes", async () => {
      let response = await t.request("/v1/events", { json: sampleEvent(0) });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { indexes: [0] });
      response = await t.request("/v1/events", {
        json: { events: Array.from({ length: 299 }, (_, i) => sampleEvent(i + 1)) },
      });
      assert.equal(response.status, 200);
      const { indexes } = (await response.json()) as { indexes: number[] };
      assert.deepEqual(
        indexes,
        Array.from({ length: 299 }, (_, i) => i + 1),
      );
    });

    it("concurrent appends get distinct, gap-free indexes", async () => {
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.request("/v1/events", {
            json: { events: [sampleEvent(1000 + i), sampleEvent(2000 + i)] },
          }),
        ),
      );
      const all: number[] = [];
      for (const r of responses) {
        assert.equal(r.status, 200);
        all.push(...((await r.json()) as { indexes: number[] }).indexes);
      }
      assert.deepEqual(
        all.sort((a, b) => a - b),
        Array.from({ length: 40 }, (_, i) => 300 + i),
      );
    });

    it("GET /v1/entries/<i>/raw returns the canonical event with the token's principal", async () => {
      for (let i = 0; i < 340; i++) {
        const response = await t.request(`/v1/entries/${i}/raw`);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("content-type"), "application/octet-stream");
        entries.push(Buffer.from(await response.arrayBuffer()));
      }
      const event = JSON.parse(entries[0]!.toString("utf8")) as Record<string, unknown>;
      assert.equal(event.schema, "trainguard.event/v1");
      assert.deepEqual((event.actor as Record<string, unknown>).principal, "test-runner");
      // Canonical: keys sorted at every level, no whitespace.
      const keys = Object.keys(event);
      assert.deepEqual(keys, [...keys].sort());
      assert.ok(!entries[0]!.includes(" "));
      assert.equal((await t.request("/v1/entries/340/raw")).status, 404);
      assert.equal((await t.request("/v1/entries/01/raw")).status, 400);
    });

    it("the checkpoint is signed by the ledger key and covers every entry (independent MTH)", async () => {
      const note = await waitForCheckpoint(t, 340);
      const response = await t.request("/checkpoint");
      assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
      const { checkpoint } = openCheckpoint(note, "trainguard.local/ledger", [
        parseVerifierKey(t.server.verifierKey),
      ]);
      assert.equal(checkpoint.size, 340);
      assert.equal(b64(checkpoint.rootHash), b64(mth(entries.map(leafOf))));
    });

    it("inclusion proofs match RFC 9162 PATH and verify independently", async () => {
      const leaves = entries.map(leafOf);
      for (const [index, size] of [
        [0, 1],
        [0, 340],
        [255, 256],
        [256, 340],
        [339, 340],
        [77, 300],
      ] as const) {
        const response = await t.request(`/v1/proof/inclusion?index=${index}&size=${size}`);
        assert.equal(response.status, 200);
        const body = (await response.json()) as { index: number; size: number; hashes: string[] };
        assert.equal(body.index, index);
        assert.equal(body.size, size);
        assert.deepEqual(body.hashes, path(index, leaves.slice(0, size)).map(b64));
        const proof = body.hashes.map((h) => Buffer.from(h, "base64"));
        assert.ok(checkInclusion(leaves[index]!, index, size, proof, mth(leaves.slice(0, size))));
      }
    });

    it("consistency proofs match RFC 9162 PROOF and verify independently", async () => {
      const leaves = entries.map(leafOf);
      for (const [m, n] of [
        [1, 340],
        [256, 340],
        [300, 340],
        [7, 8],
        [340, 340],
        [5, 129],
      ] as const) {
        const response = await t.request(`/v1/proof/consistency?old=${m}&new=${n}`);
        assert.equal(response.status, 200);
        const body = (await response.json()) as { old: number; new: number; hashes: string[] };
        assert.deepEqual([body.old, body.new], [m, n]);
        assert.deepEqual(body.hashes, consistency(m, leaves.slice(0, n)).map(b64));
        const proof = body.hashes.map((h) => Buffer.from(h, "base64"));
        assert.ok(checkConsistency(m, n, mth(leaves.slice(0, m)), mth(leaves.slice(0, n)), proof));
      }
    });

    it("proof requests outside the tree are 400 with INVALID_REQUEST", async () => {
      for (const query of [
        "inclusion?index=340&size=340",
        "inclusion?index=0&size=341",
        "inclusion?index=-1&size=5",
        "inclusion?index=abc&size=5",
        "inclusion?size=5",
        "consistency?old=0&new=5",
        "consistency?old=6&new=5",
        "consistency?old=1&new=341",
        "consistency?old=1&new=99999999999999999999",
        "consistency?old=1&new=2&extra=1",
      ]) {
        const response = await t.request(`/v1/proof/${query}`);
        assert.equal(response.status, 400, query);
        assert.equal(((await response.json()) as { code: string }).code, "INVALID_REQUEST", query);
      }
    });

    it("serves C2SP tiles and entry bundles up to the checkpoint, 404 beyond", async () => {
      const leaves = entries.map(leafOf);
      let response = await t.request("/tile/0/000");
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/octet-stream");
      assert.deepEqual(
        Buffer.from(await response.arrayBuffer()),
        Buffer.concat(leaves.slice(0, 256)),
      );
      response = await t.request("/tile/0/001.p/84");
      assert.deepEqual(
        Buffer.from(await response.arrayBuffer()),
        Buffer.concat(leaves.slice(256, 340)),
      );
      response = await t.request("/tile/1/000.p/1");
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), mth(leaves.slice(0, 256)));
      response = await t.request("/tile/entries/001.p/84");
      const bundle = Buffer.from(await response.arrayBuffer());
      const expected = Buffer.concat(
        entries.slice(256, 340).flatMap((e) => [Buffer.from([e.length >> 8, e.length & 0xff]), e]),
      );
      assert.deepEqual(bundle, expected);
      for (const beyond of [
        "/tile/0/001",
        "/tile/0/001.p/85",
        "/tile/1/000",
        "/tile/entries/002.p/1",
      ]) {
        assert.equal((await t.request(beyond)).status, 404, beyond);
      }
      for (const malformed of [
        "/tile/0/1",
        "/tile/0/000.p/256",
        "/tile/0/x000/001",
        "/tile/entries/000.p/0",
      ]) {
        assert.equal((await t.request(malformed)).status, 400, malformed);
      }
    });
  });
}
