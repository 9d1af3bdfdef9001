import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { appendLeafHashes, leafHash, storedHashCount, treeHash } from "../ledger/index.js";
import { ledgerAppendPlan } from "./append-plan.js";
import { openStore } from "./open-store.js";
import { MAX_SCAN_HASHES } from "./range-checks.js";
import type { Store } from "./store.js";
import {
  APPEND_WORKER_PATH,
  type AppendWorkerAck,
  type AppendWorkerArgs,
  workerBatchSize,
  workerEntry,
} from "./test-support/append-worker-protocol.js";
import { type TestDatabase, testDialects } from "./test-support/dialects.js";
import { verifyLedgerStorage } from "./verify-ledger-storage.js";

const WORKERS = 4;
const BATCHES = 30;
const MAX_BATCH = 40;
const PAUSE_MS = 10;

interface Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly acks: AppendWorkerAck[];
  readonly done: Promise<number | null>;
}

function startWorker(args: AppendWorkerArgs, onAck?: (ack: AppendWorkerAck) => void): Worker {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", APPEND_WORKER_PATH, JSON.stringify(args)],
    {
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const acks: AppendWorkerAck[] = [];
  let pending = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "ready") {
        markReady();
        continue;
      }
      const ack = JSON.parse(line) as AppendWorkerAck;
      acks.push(ack);
      onAck?.(ack);
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<number | null>((resolve) => {
    child.on("close", (code) => {
      if (code !== 0 && code !== null) process.stderr.write(stderr);
      resolve(code);
    });
  });
  return { child, ready, acks, done };
}

/** Waits until every worker has opened the store, then releases them together. */
async function go(workers: readonly Worker[]): Promise<void> {
  await Promise.race([
    Promise.all(workers.map((w) => w.ready)),
    Promise.all(workers.map((w) => w.done)),
  ]);
  for (const w of workers) w.child.stdin?.end("go\n");
}

/** Every entry, leaf hash, stored hash and the head agree with a recomputation from scratch. */
async function assertOneTree(store: Store): Promise<Uint8Array[]> {
  const head = await store.readHead();
  const entries: Uint8Array[] = [];
  for (let start = 0; start < head.size; start += 10_000) {
    entries.push(...(await store.readEntries(start, Math.min(head.size, start + 10_000))));
  }
  const leaves = entries.map(leafHash);
  assert.deepEqual(head.rootHash, treeHash(leaves));
  const expected = appendLeafHashes(0, [], leaves).stored;
  assert.equal(expected.length, storedHashCount(head.size));
  for (let start = 0; start < expected.length; start += MAX_SCAN_HASHES) {
    const end = Math.min(expected.length, start + MAX_SCAN_HASHES);
    const rows = await store.scanStoredHashes(start, end);
    assert.deepEqual(
      rows.map((r) => [r.index, r.hash]),
      expected.slice(start, end).map((s, i) => [start + i, s.hash]),
    );
  }
  assert.deepEqual(await verifyLedgerStorage(store), { ok: true });
  return entries;
}

/** Each acknowledged batch sits, whole and in order, at the index the store reported. */
function assertAcked(entries: readonly Uint8Array[], acks: readonly AppendWorkerAck[]): void {
  const decoder = new TextDecoder();
  for (const ack of acks) {
    for (let k = 0; k < ack.count; k++) {
      const got = entries[ack.firstIndex + k];
      assert.ok(got !== undefined, `acked entry ${ack.firstIndex + k} is missing`);
      assert.equal(decoder.decode(got), workerEntry(ack.worker, ack.batch, k));
    }
  }
}

for (const target of await testDialects()) {
  describe(`Store on ${target.dialect}, appended to by ${WORKERS} processes`, {
    skip: target.skip,
  }, () => {
    let database: TestDatabase;
    before(async () => {
      database = await target.fresh();
    });
    after(async () => {
      await database?.drop();
    });

    test("concurrent processes build one tree: no fork, no lost or duplicated entry", async (t) => {
      // The workers open the fresh database themselves, so the first migration races too.
      const workers = Array.from({ length: WORKERS }, (_, worker) =>
        startWorker({
          options: database.options,
          worker,
          batches: BATCHES,
          maxBatch: MAX_BATCH,
          pauseMs: PAUSE_MS,
        }),
      );
      await go(workers);
      const codes = await Promise.all(workers.map((w) => w.done));
      assert.deepEqual(codes, Array(WORKERS).fill(0));
      const acks = workers.flatMap((w) => w.acks);
      const expectedTotal = Array.from({ length: WORKERS }, (_, worker) =>
        Array.from({ length: BATCHES }, (_, b) =>
          workerBatchSize(
            { options: {}, worker, batches: BATCHES, maxBatch: MAX_BATCH, pauseMs: PAUSE_MS },
            b,
          ),
        ).reduce((a, b) => a + b, 0),
      ).reduce((a, b) => a + b, 0);
      const store = await openStore(database.options);
      try {
        assert.equal(await store.ledgerSize(), expectedTotal);
        const entries = await assertOneTree(store);
        assertAcked(entries, acks);
        const texts = entries.map((e) => new TextDecoder().decode(e));
        assert.equal(new Set(texts).size, expectedTotal, "an entry is duplicated");
        const order = [...acks].sort((a, b) => a.firstIndex - b.firstIndex);
        const switches = order.filter((a, i) => i > 0 && order[i - 1]!.worker !== a.worker).length;
        t.diagnostic(
          `${expectedTotal} entries in ${acks.length} batches; writer changed ${switches} times`,
        );
        assert.ok(switches > 0, "the workers never interleaved");
      } finally {
        await store.close();
      }
    });

    test("a writer killed with SIGKILL loses nothing it acknowledged and corrupts nothing", async () => {
      const before = await openStore(database.options);
      const startSize = await before.ledgerSize();
      await before.close();
      const killAfter = 5;
      const workers = [10, 11].map((worker) => {
        const w: Worker = startWorker(
          {
            options: database.options,
            worker,
            batches: 10_000,
            maxBatch: MAX_BATCH,
            pauseMs: PAUSE_MS,
          },
          (ack) => {
            if (ack.batch + 1 === killAfter) w.child.kill("SIGKILL");
          },
        );
        return w;
      });
      await go(workers);
      const codes = await Promise.all(workers.map((w) => w.done));
      assert.deepEqual(codes, [null, null]);
      const store = await openStore(database.options);
      try {
        const acks = workers.flatMap((w) => w.acks);
        assert.ok(acks.length >= 2 * killAfter);
        assert.ok((await store.ledgerSize()) >= startSize + acks.reduce((n, a) => n + a.count, 0));
        assertAcked(await assertOneTree(store), acks);
        const next = await store.appendEntries([new Uint8Array([1])], ledgerAppendPlan);
        assert.equal(next.firstIndex + 1, await store.ledgerSize());
      } finally {
        await store.close();
      }
    });
  });
}
