import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { openStore } from "./open-store.js";
import { SQLITE_FILE_NAME, SQLITE_PAGE_SIZE } from "./sqlite-database.js";
import type { Store, TelemetryChunk } from "./store.js";

const homes: string[] = [];
after(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), "tg-pagesize-"));
  homes.push(home);
  return home;
}

function pageSize(home: string): number {
  const db = new Database(join(home, SQLITE_FILE_NAME), { readonly: true });
  try {
    return db.pragma("page_size", { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** A chunk of 4,000 lines (~1.3 MB: hundreds of overflow pages), stored and read back whole. */
async function roundTrip(store: Store): Promise<void> {
  const lines = Array.from(
    { length: 4000 },
    (_, step) =>
      `{"type":"step","run":"big","rank":0,"step":${step},"time":${step},"pad":"${"x".repeat(300)}"}`,
  );
  const chunk: TelemetryChunk = {
    run: "big",
    format: "ndjson",
    count: lines.length,
    minRank: 0,
    maxRank: 0,
    minStep: 0,
    maxStep: lines.length - 1,
    minTime: 0,
    maxTime: lines.length - 1,
    receivedAt: 1_790_000_000_000,
    principal: "tester",
    body: lines.join("\n"),
  };
  await store.insertTelemetry([chunk]);
  const [stored] = await store.readTelemetry("big", 0, 10);
  assert.equal(stored?.body, chunk.body);
}

describe("SQLite database file", () => {
  it("is created with large pages, for the telemetry chunks' overflow pages", async () => {
    const home = newHome();
    const store = await openStore({ home });
    await roundTrip(store);
    await store.close();
    assert.equal(SQLITE_PAGE_SIZE, 32_768);
    assert.equal(pageSize(home), SQLITE_PAGE_SIZE);
  });

  it("keeps the page size of a file made before, and opens it as a store", async () => {
    const home = newHome();
    const old = new Database(join(home, SQLITE_FILE_NAME));
    old.pragma("page_size = 4096");
    old.pragma("journal_mode = WAL");
    old.exec("CREATE TABLE earlier (x INTEGER)");
    old.close();
    const store = await openStore({ home });
    await roundTrip(store);
    await store.close();
    assert.equal(pageSize(home), 4096);
  });
});
