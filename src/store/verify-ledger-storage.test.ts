import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { storedHashCount, storedHashIndex } from "../ledger/index.js";
import { ledgerAppendPlan } from "./append-plan.js";
import { openStore } from "./open-store.js";
import { type DialectTarget, testDialects } from "./test-support/dialects.js";
import { type LedgerStorageReport, verifyLedgerStorage } from "./verify-ledger-storage.js";

const SIZE = 100;
const CHECKPOINT = 90;

/**
 * Builds a 100-entry log with a checkpoint at 90 in a fresh database, tampers with it through
 * raw SQL, and verifies it in batches of 16 (so batches straddle the checkpoint).
 */
async function tamperAndVerify(
  target: DialectTarget,
  tamper: string,
): Promise<LedgerStorageReport> {
  const database = await target.fresh();
  try {
    const store = await openStore(database.options);
    try {
      const entry = (i: number) => new TextEncoder().encode(`entry ${i}`);
      for (const [start, end] of [
        [0, 7],
        [7, 60],
        [60, CHECKPOINT],
        [CHECKPOINT, SIZE],
      ] as const) {
        if (start === CHECKPOINT) {
          const head = await store.readHead();
          await store.saveCheckpoint({ ...head, note: "cp\n", createdAt: 1 });
        }
        const batch = Array.from({ length: end - start }, (_, i) => entry(start + i));
        await store.appendEntries(batch, ledgerAppendPlan);
      }
      if (tamper !== "") await database.exec(tamper);
      return await verifyLedgerStorage(store, { batchSize: 16 });
    } finally {
      await store.close();
    }
  } finally {
    await database.drop();
  }
}

const hashAt = (level: number, index: number) => storedHashIndex({ level, index });

for (const target of await testDialects()) {
  describe(`verifyLedgerStorage() on ${target.dialect}`, { skip: target.skip }, () => {
    test("passes a log nobody touched", async () => {
      assert.deepEqual(await tamperAndVerify(target, ""), { ok: true });
    });

    test("reports an entry whose bytes were edited in the database", async () => {
      const report = await tamperAndVerify(
        target,
        "UPDATE ledger_entries SET entry = leaf_hash WHERE idx = 37",
      );
      assert.equal(report.ok, false);
      assert.equal(report.firstBadIndex, 37);
    });

    test("reports an entry deleted from the middle and from the end", async () => {
      const middle = await tamperAndVerify(target, "DELETE FROM ledger_entries WHERE idx = 41");
      assert.deepEqual([middle.ok, middle.firstBadIndex], [false, 41]);
      const last = await tamperAndVerify(target, "DELETE FROM ledger_entries WHERE idx = 99");
      assert.deepEqual([last.ok, last.firstBadIndex], [false, 99]);
    });

    test("reports two rows swapped, at the first of them", async () => {
      const report = await tamperAndVerify(
        target,
        `UPDATE ledger_entries SET idx = -1 WHERE idx = 12;
         UPDATE ledger_entries SET idx = 12 WHERE idx = 70;
         UPDATE ledger_entries SET idx = 70 WHERE idx = -1;`,
      );
      assert.deepEqual([report.ok, report.firstBadIndex], [false, 12]);
    });

    test("reports a rewritten subtree hash at the subtree's first leaf", async () => {
      const report = await tamperAndVerify(
        target,
        `UPDATE stored_hashes SET hash = (SELECT hash FROM stored_hashes WHERE idx = 0)
         WHERE idx = ${hashAt(3, 2)}`,
      );
      assert.deepEqual([report.ok, report.firstBadIndex], [false, 16]);
    });

    test("reports rows past the head and a head cut below the checkpoint", async () => {
      const extra = await tamperAndVerify(
        target,
        `INSERT INTO ledger_entries (idx, entry, leaf_hash)
         SELECT idx + ${SIZE}, entry, leaf_hash FROM ledger_entries WHERE idx = 0`,
      );
      assert.deepEqual([extra.ok, extra.firstBadIndex], [false, SIZE]);
      const hashes = await tamperAndVerify(
        target,
        `INSERT INTO stored_hashes (idx, hash) SELECT ${storedHashCount(SIZE)}, hash FROM stored_hashes WHERE idx = 0`,
      );
      assert.deepEqual([hashes.ok, hashes.firstBadIndex], [false, SIZE]);
      const cut = await tamperAndVerify(target, "UPDATE log_head SET size = 50");
      assert.deepEqual([cut.ok, cut.firstBadIndex], [false, 50]);
    });

    test("reports a head root or checkpoint root that the entries do not hash to", async () => {
      const stolen = "(SELECT hash FROM stored_hashes WHERE idx = 0)";
      const head = await tamperAndVerify(target, `UPDATE log_head SET root = ${stolen}`);
      assert.equal(head.ok, false);
      assert.equal(head.firstBadIndex, undefined);
      assert.match(head.detail ?? "", /head/);
      const checkpoint = await tamperAndVerify(target, `UPDATE checkpoints SET root = ${stolen}`);
      assert.equal(checkpoint.ok, false);
      assert.match(checkpoint.detail ?? "", /checkpoint 90/);
    });
  });
}
