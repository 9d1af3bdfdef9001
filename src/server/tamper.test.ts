/**
 * An entry edited, deleted or reordered directly in the database: the server finds it at
 * start-up (readyz fails, appends and signing stop) and `ledger verify --full` names its index.
 * Runs on each store dialect.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runLedgerVerify } from "../cli/run-ledger-verify.js";
import type { Dialect } from "../store/index.js";
import { testDialects } from "../store/test-support/dialects.js";
import { captureIo } from "./test-support/capture-io.js";
import { sampleEvent, startTestServer, waitForCheckpoint } from "./test-support/test-server.js";

const ENTRIES = 300;

function bytesLiteral(dialect: Dialect, hex: string): string {
  return dialect === "sqlite" ? `X'${hex}'` : `'\\x${hex}'::bytea`;
}

interface Tampering {
  readonly name: string;
  readonly sql: (dialect: Dialect) => string;
  readonly indexes: readonly number[];
}

const TAMPERINGS: readonly Tampering[] = [
  {
    name: "an edited entry",
    sql: (d) =>
      `UPDATE ledger_entries SET entry = ${bytesLiteral(d, Buffer.from('{"edited":true}').toString("hex"))} WHERE idx = 123`,
    indexes: [123],
  },
  {
    name: "a deleted entry",
    sql: () => "DELETE FROM ledger_entries WHERE idx = 200",
    indexes: [200],
  },
  {
    name: "two reordered entries",
    sql: () =>
      "UPDATE ledger_entries SET idx = -1 WHERE idx = 10; UPDATE ledger_entries SET idx = 10 WHERE idx = 11; UPDATE ledger_entries SET idx = 11 WHERE idx = -1",
    indexes: [10, 11],
  },
];

for (const target of await testDialects()) {
  describe(`tampering on ${target.dialect}`, { skip: target.skip }, () => {
    for (const tampering of TAMPERINGS) {
      it(`${tampering.name} is reported by start-up checks and ledger verify --full`, async () => {
        const db = await target.fresh();
        const home = db.options.home ?? mkdtempSync(join(tmpdir(), "tg-tamper-"));
        const state = join(mkdtempSync(join(tmpdir(), "tg-state-")), "state.json");
        let t = await startTestServer(db, { home });
        try {
          const events = Array.from({ length: ENTRIES }, (_, i) => sampleEvent(i));
          assert.equal((await t.request("/v1/events", { json: { events } })).status, 200);
          const before = await waitForCheckpoint(t, ENTRIES);
          const verifyArgs = {
            server: t.url,
            key: t.server.verifierKey,
            token: t.token,
            full: true as const,
            state,
            format: "text" as const,
          };
          const clean = captureIo();
          assert.equal(await runLedgerVerify(verifyArgs, clean, {}), 0, clean.err());
          await t.server.close();

          await db.exec(tampering.sql(target.dialect));

          t = await startTestServer(db, { home });
          const ready = await t.request("/readyz", { token: null });
          assert.equal(ready.status, 503);
          const { reason } = (await ready.json()) as { reason: string };
          assert.match(reason, new RegExp(`entry ${tampering.indexes[0]}`));
          const append = await t.request("/v1/events", { json: sampleEvent(1) });
          assert.equal(append.status, 503);
          assert.equal(((await append.json()) as { code: string }).code, "LEDGER_UNAVAILABLE");
          assert.equal(await (await t.request("/checkpoint")).text(), before, "no new checkpoint");

          const io = captureIo();
          const code = await runLedgerVerify(
            { ...verifyArgs, server: t.url, token: t.token },
            io,
            {},
          );
          assert.equal(code, 1, io.err());
          for (const index of tampering.indexes)
            assert.match(io.out(), new RegExp(`entry ${index}: `));
        } finally {
          await t.server.close();
          await db.drop();
        }
      });
    }
  });
}
