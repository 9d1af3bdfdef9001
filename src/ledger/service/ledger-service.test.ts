/**
 * The ledger service on each real store: checkpoints follow appends within a second under load,
 * and the publisher refuses to sign a tree that does not extend what was signed before.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { openStore } from "../../store/index.js";
import { testDialects } from "../../store/test-support/dialects.js";
import { generateNoteKeys, parseSignerKey, parseVerifierKey, storedHashIndex } from "../index.js";
import { LedgerService, LedgerServiceError, readSignedHead, SILENT_LOG } from "./index.js";

const ORIGIN = "test.example/ledger";
const keys = generateNoteKeys(ORIGIN);
const entry = (n: number) => Buffer.from(JSON.stringify({ n }));

for (const target of await testDialects()) {
  describe(`ledger service on ${target.dialect}`, { skip: target.skip }, () => {
    it("publishes a checkpoint within 1 s of every append under load (default interval)", async () => {
      const db = await target.fresh();
      const store = await openStore(db.options);
      const service = await LedgerService.start({
        store,
        origin: ORIGIN,
        logSigner: parseSignerKey(keys.signerKey),
        logVerifier: parseVerifierKey(keys.verifierKey),
        log: SILENT_LOG,
      });
      try {
        const pending: { index: number; at: number }[] = [];
        let worst = 0;
        let running = true;
        const watcher = (async () => {
          while (running || pending.length > 0) {
            const size = (await service.latestCheckpoint())?.size ?? 0;
            const now = Date.now();
            while (pending.length > 0 && pending[0]!.index < size)
              worst = Math.max(worst, now - pending.shift()!.at);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        })();
        const writer = async (w: number) => {
          for (let i = 0; i < 40; i++) {
            const batch = Array.from({ length: 50 }, (_, j) => entry(w * 100_000 + i * 100 + j));
            const { firstIndex, count } = await service.append(batch);
            const at = Date.now();
            pending.push({ index: firstIndex + count - 1, at });
            pending.sort((a, b) => a.index - b.index);
          }
        };
        await Promise.all([0, 1, 2, 3].map(writer));
        running = false;
        await watcher;
        assert.ok(worst < 1000, `an append waited ${worst} ms for its checkpoint`);
        assert.equal((await service.latestCheckpoint())?.size, 8000);
      } finally {
        await service.close();
        await store.close();
        await db.drop();
      }
    });

    it("halts and never signs again when stored hashes no longer give the signed root", async () => {
      const db = await target.fresh();
      const home = mkdtempSync(join(tmpdir(), "tg-service-"));
      const signedHeadPath = join(home, "head.json");
      const store = await openStore(db.options);
      const service = await LedgerService.start({
        store,
        origin: ORIGIN,
        logSigner: parseSignerKey(keys.signerKey),
        logVerifier: parseVerifierKey(keys.verifierKey),
        signedHeadPath,
        publishIntervalMs: 10_000,
        log: SILENT_LOG,
      });
      try {
        await service.append(Array.from({ length: 10 }, (_, i) => entry(i)));
        const signed = await service.publishNow();
        assert.equal(signed?.size, 10);
        assert.equal((await readSignedHead(signedHeadPath))?.size, 10);
        // Rewrite the hash of leaves [0, 8), which every proof from size 10 onwards uses.
        const zero =
          target.dialect === "sqlite" ? `X'${"00".repeat(32)}'` : `'\\x${"00".repeat(32)}'::bytea`;
        await db.exec(
          `UPDATE stored_hashes SET hash = ${zero} WHERE idx = ${storedHashIndex({ level: 3, index: 0 })}`,
        );
        await service.append([entry(10)]);
        await assert.rejects(
          service.publishNow(),
          (e: unknown) => e instanceof LedgerServiceError && e.code === "LEDGER_TAMPERED",
        );
        assert.equal(service.state.status, "tampered");
        await assert.rejects(
          service.append([entry(11)]),
          (e: unknown) => e instanceof LedgerServiceError && e.code === "LEDGER_TAMPERED",
        );
        assert.equal((await service.latestCheckpoint())?.size, 10, "nothing new was signed");
      } finally {
        await service.close();
        await store.close();
        await db.drop();
      }
    });
  });
}
