/**
 * AlertRecorder over each store dialect with a ledger whose appends the test makes fail: an
 * alert is never lost to a transient failure (retried at once, then in the background), and a
 * ledger that cannot accept appends is not retried in a loop.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LedgerServiceError, SILENT_LOG } from "../../ledger/service/index.js";
import type { Alert } from "../../monitor/index.js";
import { openStore, type Store } from "../../store/index.js";
import { type TestDatabase, testDialects } from "../../store/test-support/dialects.js";
import { AlertRecorder } from "./alert-recorder.js";

const alert = (step: number): Alert => ({
  detector: "loss-bomb",
  severity: "high",
  run: "r",
  rank: 0,
  step,
  message: `step ${step}`,
  evidence: { step },
});

/** A ledger that throws `failures` errors before accepting appends. */
function flakyLedger(failures: number, error: () => Error = () => new Error("Cannot connect")) {
  const state = { calls: 0, next: 100, failures };
  return {
    state,
    append: async (entries: readonly Uint8Array[]) => {
      state.calls++;
      if (state.failures > 0) {
        state.failures--;
        throw error();
      }
      const firstIndex = state.next;
      state.next += entries.length;
      return { firstIndex, count: entries.length };
    },
  };
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("Cannot see the expected state in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const target of await testDialects()) {
  describe(`AlertRecorder on ${target.dialect}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let store: Store;
    before(async () => {
      db = await target.fresh();
      store = await openStore(db.options);
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    it("retries a failed ledger append at once and answers the index it got", async () => {
      const ledger = flakyLedger(1);
      const recorder = new AlertRecorder({
        store,
        service: ledger,
        log: SILENT_LOG,
        retryDelaysMs: [1, 1],
      });
      const recorded = await recorder.record([alert(1), alert(2)], { tokenId: "t" });
      assert.deepEqual(
        recorded.map((a) => a.ledger_index),
        [100, 101],
      );
      assert.equal(ledger.state.calls, 2);
      const rows = await store.readAlerts("r", 10);
      assert.deepEqual(
        rows.map((r) => [r.step, r.ledgerIndex]),
        [
          [1, 100],
          [2, 101],
        ],
      );
      await recorder.close();
    });

    it("keeps an alert pending while appends fail, then records it in the background", async () => {
      const ledger = flakyLedger(4);
      const recorder = new AlertRecorder({
        store,
        service: ledger,
        log: SILENT_LOG,
        retryDelaysMs: [1],
        pendingRetryMs: 10,
      });
      const [recorded] = await recorder.record([alert(3)], { tokenId: "t" });
      assert.equal(recorded?.ledger_index, null);
      assert.equal(recorder.pending, 1);
      const stored = async () => (await store.readAlerts("r", 10)).find((r) => r.step === 3);
      assert.equal((await stored())?.ledgerIndex, null);
      await waitFor(async () => (await stored())?.ledgerIndex === 100);
      assert.equal(recorder.pending, 0);
      await recorder.close();
    });

    it("does not retry a ledger that refuses appends for good", async () => {
      const ledger = flakyLedger(
        1,
        () => new LedgerServiceError("LEDGER_TAMPERED", "Cannot append to the ledger: tampered"),
      );
      const recorder = new AlertRecorder({
        store,
        service: ledger,
        log: SILENT_LOG,
        retryDelaysMs: [1, 1, 1],
      });
      const [recorded] = await recorder.record([alert(4)], { tokenId: "t" });
      assert.equal(recorded?.ledger_index, null);
      assert.equal(ledger.state.calls, 1);
      // close() makes one last attempt, which the (now healthy) ledger accepts.
      await recorder.close();
      assert.equal(recorder.pending, 0);
    });
  });
}
