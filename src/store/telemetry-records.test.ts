/**
 * Telemetry chunks on each dialect: a request's chunks stored in one transaction, read back page
 * by page in arrival order and split into records; a chunk whose body disagrees with its count
 * is STORAGE_INCONSISTENT, and reads are bounded.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ledgerAppendPlan } from "./append-plan.js";
import { openStore } from "./open-store.js";
import { MAX_READ_CHUNKS } from "./range-checks.js";
import type { Store, TelemetryChunk } from "./store.js";
import { StoreError, type StoreErrorCode } from "./store-error.js";
import { telemetryRecords } from "./telemetry-records.js";
import { type TestDatabase, testDialects } from "./test-support/dialects.js";

const code = (c: StoreErrorCode) => (e: unknown) => e instanceof StoreError && e.code === c;

const line = (run: string, step: number) => JSON.stringify({ run, rank: 0, step, time: step });

function ndjsonChunk(run: string, steps: readonly number[]): TelemetryChunk {
  return {
    run,
    format: "ndjson",
    count: steps.length,
    minRank: 0,
    maxRank: 0,
    minStep: Math.min(...steps),
    maxStep: Math.max(...steps),
    minTime: Math.min(...steps),
    maxTime: Math.max(...steps),
    receivedAt: 1_790_000_000_000,
    principal: "tester",
    body: steps.map((s) => line(run, s)).join("\n"),
  };
}

async function texts(store: Store, run: string, page: number): Promise<string[]> {
  const out: string[] = [];
  for await (const { text } of telemetryRecords(store, run, page)) out.push(text);
  return out;
}

for (const target of await testDialects()) {
  describe(`telemetry chunks on ${target.dialect}`, { skip: target.skip }, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await target.fresh();
      store = await openStore(database.options);
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    test("telemetryRecords() yields a run's records across chunks and pages in arrival order", async () => {
      const json: TelemetryChunk = {
        ...ndjsonChunk("a", [3, 4]),
        format: "json",
        body: `{"records": [${line("a", 3)}, ${line("a", 4)}]}`,
      };
      // 70 requests of run "b" push the chunks of "a" past several pages.
      await store.insertTelemetry([ndjsonChunk("a", [0, 1, 2]), ndjsonChunk("b", [0])]);
      await store.insertTelemetry(Array.from({ length: 70 }, (_, i) => ndjsonChunk("b", [i + 1])));
      await store.insertTelemetry([json]);
      await store.insertTelemetry([ndjsonChunk("a", [5])]);
      const expected = [0, 1, 2, 3, 4, 5].map((s) => line("a", s));
      for (const page of [1, 2, MAX_READ_CHUNKS]) {
        assert.deepEqual(await texts(store, "a", page), expected);
      }
      assert.equal((await texts(store, "b", 3)).length, 71);
      const [first] = await store.readTelemetry("a", 0, 1);
      assert.deepEqual({ ...first!, id: 0 }, { ...ndjsonChunk("a", [0, 1, 2]), id: 0 });
    });

    test("a chunk whose body does not hold `count` records is STORAGE_INCONSISTENT", async () => {
      await store.insertTelemetry([{ ...ndjsonChunk("bad", [0, 1]), count: 3 }]);
      await assert.rejects(texts(store, "bad", 8), code("STORAGE_INCONSISTENT"));
    });

    test("telemetry inserts run beside ledger appends and are committed before close() ends", async () => {
      const appends = Array.from({ length: 5 }, (_, i) =>
        store.appendEntries([new TextEncoder().encode(`e${i}`)], ledgerAppendPlan),
      );
      const inserts = Array.from({ length: 20 }, (_, i) =>
        store.insertTelemetry([ndjsonChunk("busy", [i])]),
      );
      await Promise.all([...appends, ...inserts]);
      assert.equal(await store.ledgerSize(), 5);
      const last = store.insertTelemetry([ndjsonChunk("busy", [20])]);
      // SQLite's writer thread finishes what it was given; a pg pool being ended does not.
      if (target.dialect === "postgres") await last;
      await store.close();
      await last;
      store = await openStore(database.options);
      // Concurrent inserts commit in any order on PostgreSQL: compare the sets.
      assert.deepEqual(
        (await texts(store, "busy", 64)).sort(),
        Array.from({ length: 21 }, (_, i) => line("busy", i)).sort(),
      );
    });

    test("a body given as UTF-8 bytes is stored as its text; a movable body's buffer is moved", async () => {
      const run = "bytes-é";
      const text = [line(run, 0), line(run, 1), JSON.stringify({ run, rank: 0, note: "∑ 🚀" })];
      const chunk = { ...ndjsonChunk(run, [0, 1]), count: 3 };
      const kept = new Uint8Array(Buffer.from(text.join("\n")));
      // Its own buffer (Buffer.from would slice Node's shared pool, which is never moved).
      const padded = `xx${text.join("\n")}\nyy`;
      const movable = Buffer.alloc(Buffer.byteLength(padded), padded);
      await store.insertTelemetry([{ ...chunk, body: kept }]);
      await store.insertTelemetry([
        { ...chunk, body: movable.subarray(2, movable.length - 3), bodyMovable: true },
      ]);
      assert.deepEqual(await texts(store, run, 8), [...text, ...text]);
      const chunks = await store.readTelemetry(run, 0, 8);
      assert.deepEqual(
        chunks.map((c) => c.body),
        [text.join("\n"), text.join("\n")],
      );
      // A body not marked movable is copied; SQLite's writer thread took the movable one's buffer.
      assert.equal(Buffer.from(kept).toString(), text.join("\n"));
      assert.equal(movable.length, target.dialect === "sqlite" ? 0 : movable.length);
    });

    test("reads are bounded to MAX_READ_CHUNKS chunks", async () => {
      await assert.rejects(
        store.readTelemetry("a", 0, MAX_READ_CHUNKS + 1),
        code("LIMIT_EXCEEDED"),
      );
      await assert.rejects(store.readTelemetry("a", -1, 1), code("OUT_OF_RANGE"));
    });
  });
}
