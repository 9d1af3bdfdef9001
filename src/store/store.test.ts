import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { EMPTY_TREE_HASH, leafHash, MemoryHashStore, treeHash } from "../ledger/index.js";
import { ledgerAppendPlan } from "./append-plan.js";
import { openStore } from "./open-store.js";
import { SQLITE_FILE_NAME } from "./sqlite-database.js";
import type { Store, TokenRecord } from "./store.js";
import { StoreError, type StoreErrorCode } from "./store-error.js";
import { type TestDatabase, testDialects } from "./test-support/dialects.js";

const entry = (i: number) => new TextEncoder().encode(`entry ${i}`);
const entries = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => entry(from + i));
const code = (c: StoreErrorCode) => (e: unknown) => e instanceof StoreError && e.code === c;

for (const target of await testDialects()) {
  describe(`Store on ${target.dialect}`, { skip: target.skip }, () => {
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

    test("a new store is empty: size 0, the empty tree's root, no checkpoint", async () => {
      assert.equal(await store.ledgerSize(), 0);
      assert.deepEqual(await store.readHead(), { size: 0, rootHash: EMPTY_TREE_HASH });
      assert.equal(await store.latestCheckpoint(), undefined);
      assert.deepEqual(await store.readEntries(0, 0), []);
    });

    test("appendEntries() stores entries exactly and the RFC 9162 root of every leaf", async () => {
      const odd = [new Uint8Array(0), new Uint8Array([0, 255, 0]), new Uint8Array(70_000).fill(7)];
      const first = await store.appendEntries(odd, ledgerAppendPlan);
      assert.deepEqual(
        { firstIndex: first.firstIndex, size: first.size },
        { firstIndex: 0, size: 3 },
      );
      const second = await store.appendEntries(entries(3, 10), ledgerAppendPlan);
      assert.equal(second.firstIndex, 3);
      assert.equal(second.size, 13);
      const all = [...odd, ...entries(3, 10)];
      assert.deepEqual(await store.readEntries(0, 13), all);
      assert.deepEqual(second.rootHash, treeHash(all.map(leafHash)));
      assert.deepEqual(await store.readHead(), { size: 13, rootHash: second.rootHash });
    });

    test("readHashes() answers in the order asked, duplicates and over 1000 ids included", async () => {
      await store.appendEntries(entries(13, 1487), ledgerAppendPlan);
      const memory = new MemoryHashStore();
      memory.append((await store.readEntries(0, 1500)).map(leafHash));
      const addresses = Array.from({ length: 1500 }, (_, i) => ({ level: 0, index: 1499 - i }));
      addresses.push({ level: 10, index: 0 }, { level: 3, index: 5 }, { level: 0, index: 1499 });
      assert.deepEqual(await store.readHashes(addresses), memory.readHashes(addresses));
      assert.deepEqual((await store.readHead()).rootHash, memory.root);
    });

    test("readHashes() throws HASH_NOT_FOUND for a subtree the tree does not have", async () => {
      await assert.rejects(store.readHashes([{ level: 0, index: 1500 }]), code("HASH_NOT_FOUND"));
      await assert.rejects(store.readHashes([{ level: 11, index: 0 }]), code("HASH_NOT_FOUND"));
    });

    test("readEntries() refuses ranges past the log, reversed or over 10,000", async () => {
      await assert.rejects(store.readEntries(1490, 1501), code("OUT_OF_RANGE"));
      await assert.rejects(store.readEntries(5, 4), code("OUT_OF_RANGE"));
      await assert.rejects(store.readEntries(-1, 4), code("OUT_OF_RANGE"));
      await assert.rejects(store.readEntries(0.5, 4), code("OUT_OF_RANGE"));
      await assert.rejects(store.readEntries(0, 10_001), code("LIMIT_EXCEEDED"));
      assert.deepEqual(await store.readEntries(1499, 1500), [entry(1499)]);
    });

    test("appendEntries() refuses an empty batch and a plan with a hole, writing nothing", async () => {
      await assert.rejects(store.appendEntries([], ledgerAppendPlan), code("EMPTY_APPEND"));
      const dropLast = async (...args: Parameters<typeof ledgerAppendPlan>) => {
        const plan = await ledgerAppendPlan(...args);
        return { ...plan, stored: plan.stored.slice(0, -1) };
      };
      await assert.rejects(store.appendEntries(entries(0, 3), dropLast), code("INVALID_PLAN"));
      const wrongLeaf = async (...args: Parameters<typeof ledgerAppendPlan>) => {
        const plan = await ledgerAppendPlan(...args);
        const stored = plan.stored.map((s) =>
          s.level === 0 ? { ...s, hash: EMPTY_TREE_HASH } : s,
        );
        return { ...plan, stored };
      };
      await assert.rejects(store.appendEntries(entries(0, 1), wrongLeaf), code("INVALID_PLAN"));
      const failing = async () => {
        throw new Error("plan failed");
      };
      await assert.rejects(store.appendEntries(entries(0, 1), failing), /plan failed/);
      assert.equal(await store.ledgerSize(), 1500);
      await assert.rejects(store.readEntries(1500, 1501), code("OUT_OF_RANGE"));
    });

    test("concurrent appends from one process serialise into one tree", async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, k) =>
          store.appendEntries(entries(2000 + k * 5, 5), ledgerAppendPlan),
        ),
      );
      const firsts = results.map((r) => r.firstIndex).sort((a, b) => a - b);
      assert.deepEqual(firsts, [1500, 1505, 1510, 1515, 1520, 1525, 1530, 1535]);
      const all = await store.readEntries(0, 1540);
      assert.deepEqual((await store.readHead()).rootHash, treeHash(all.map(leafHash)));
    });

    test("saveCheckpoint() keeps the newest and refuses a smaller size", async () => {
      const head = await store.readHead();
      const cp = { size: head.size, rootHash: head.rootHash, note: "note A\n", createdAt: 1000 };
      await store.saveCheckpoint(cp);
      assert.deepEqual(await store.latestCheckpoint(), cp);
      await store.saveCheckpoint({ ...cp, note: "note A, cosigned\n", createdAt: 2000 });
      assert.equal((await store.latestCheckpoint())?.note, "note A, cosigned\n");
      const older = await store.readHashes([{ level: 10, index: 0 }]);
      const regress = { size: 1024, rootHash: older[0]!, note: "old\n", createdAt: 3000 };
      await assert.rejects(store.saveCheckpoint(regress), code("CHECKPOINT_REGRESSION"));
      assert.equal((await store.latestCheckpoint())?.size, head.size);
    });

    test("saveCheckpoint() refuses a size past the log or a root that is not the log's", async () => {
      const head = await store.readHead();
      const base = { note: "n\n", createdAt: 1 };
      await assert.rejects(
        store.saveCheckpoint({ ...base, size: head.size + 1, rootHash: head.rootHash }),
        code("CHECKPOINT_MISMATCH"),
      );
      await assert.rejects(
        store.saveCheckpoint({ ...base, size: head.size, rootHash: EMPTY_TREE_HASH }),
        code("CHECKPOINT_MISMATCH"),
      );
    });

    test("tokens are created, found, revoked; duplicates and unknown ids are refused", async () => {
      const token: TokenRecord = {
        id: "tok_1",
        principal: "alice@example",
        secretHash: new Uint8Array(32).fill(9),
        createdAt: 1_700_000_000_000,
        expiresAt: null,
        revoked: false,
      };
      await store.createToken(token);
      await store.createToken({ ...token, id: "tok_2", expiresAt: 1_800_000_000_000 });
      assert.deepEqual(await store.findToken("tok_1"), token);
      assert.equal((await store.findToken("tok_2"))?.expiresAt, 1_800_000_000_000);
      await assert.rejects(store.createToken(token), code("TOKEN_EXISTS"));
      await store.revokeToken("tok_1");
      assert.deepEqual(await store.findToken("tok_1"), { ...token, revoked: true });
      assert.equal((await store.findToken("tok_2"))?.revoked, false);
      assert.equal(await store.findToken("nope"), undefined);
      await assert.rejects(store.revokeToken("nope"), code("TOKEN_NOT_FOUND"));
    });

    test("a reopened store keeps everything and migrating again changes nothing", async () => {
      const head = await store.readHead();
      await store.close();
      store = await openStore(database.options);
      await store.migrate();
      assert.deepEqual(await store.readHead(), head);
      assert.equal((await store.latestCheckpoint())?.size, head.size);
      assert.equal((await store.findToken("tok_1"))?.revoked, true);
      const next = await store.appendEntries([entry(9999)], ledgerAppendPlan);
      assert.equal(next.firstIndex, head.size);
    });
  });
}

test("openStore() refuses a URL that is not PostgreSQL's", async () => {
  await assert.rejects(openStore({ url: "mysql://db/x" }), code("INVALID_URL"));
  await assert.rejects(openStore({ url: "not a url" }), code("INVALID_URL"));
});

test("openStore() without a URL creates <home>/trainguard.db in a 0700 directory, in WAL mode", async () => {
  const parent = mkdtempSync(join(tmpdir(), "tg-home-"));
  const home = join(parent, "nested", "home");
  try {
    const store = await openStore({ home });
    await store.appendEntries([entry(0)], ledgerAppendPlan);
    await store.close();
    assert.equal(statSync(home).mode & 0o777, 0o700);
    const raw = new Database(join(home, SQLITE_FILE_NAME), { readonly: true });
    assert.equal(raw.pragma("journal_mode", { simple: true }), "wal");
    raw.close();
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
