import type { Kysely } from "kysely";
import { leafHash, type SubtreeAddress } from "../ledger/index.js";
import { checkAppendPlan } from "./append-plan.js";
import { insertCheckpoint, selectLatestCheckpoint } from "./checkpoint-queries.js";
import {
  insertEntries,
  insertStoredHashes,
  scanEntryRows,
  scanStoredHashRows,
  selectHashes,
} from "./ledger-queries.js";
import { migrateStore } from "./migrations.js";
import {
  assertIndex,
  assertRange,
  MAX_APPEND_ENTRIES,
  MAX_READ_CHUNKS,
  MAX_READ_ENTRIES,
  MAX_READ_ROWS,
  MAX_SCAN_HASHES,
  MAX_TELEMETRY_CHUNKS,
} from "./range-checks.js";
import type { StoreDatabase } from "./schema.js";
import type { SqliteTelemetryWriter } from "./sqlite-telemetry-writer.js";
import type {
  AlertRow,
  AppendPlan,
  AppendResult,
  CheckpointRecord,
  Dialect,
  LogHead,
  Store,
  StoredAlertRow,
  StoredEntryRow,
  StoredHashRow,
  StoredTelemetryChunk,
  TelemetryChunk,
  TokenRecord,
} from "./store.js";
import { StoreError } from "./store-error.js";
import {
  insertAlertRows,
  insertTelemetryChunks,
  selectAlertRows,
  selectTelemetryChunks,
  updateAlertLedgerIndexes,
} from "./telemetry-queries.js";
import { insertToken, markTokenRevoked, selectToken } from "./token-queries.js";
import { readLogHead, withLogLock, writeLogHead } from "./write-lock.js";

/** `Store` over Kysely: the same code for SQLite and PostgreSQL, dialect checks only for locks. */
export class KyselyStore implements Store {
  readonly dialect: Dialect;
  readonly #db: Kysely<StoreDatabase>;
  /** SQLite: inserts telemetry on a worker thread, off the event loop. */
  readonly #telemetryWriter: SqliteTelemetryWriter | undefined;

  constructor(
    db: Kysely<StoreDatabase>,
    dialect: Dialect,
    telemetryWriter?: SqliteTelemetryWriter | undefined,
  ) {
    this.#db = db;
    this.dialect = dialect;
    this.#telemetryWriter = telemetryWriter;
  }

  migrate(): Promise<void> {
    return migrateStore(this.#db, this.dialect);
  }

  async close(): Promise<void> {
    await this.#telemetryWriter?.close();
    await this.#db.destroy();
  }

  async appendEntries(
    entries: readonly Uint8Array[],
    plan: (
      size: number,
      leafHashes: readonly Uint8Array[],
      readHashes: (addresses: readonly SubtreeAddress[]) => Promise<readonly Uint8Array[]>,
    ) => Promise<AppendPlan>,
  ): Promise<AppendResult> {
    if (entries.length === 0) {
      throw new StoreError("EMPTY_APPEND", "Cannot append entries: the batch is empty");
    }
    if (entries.length > MAX_APPEND_ENTRIES) {
      throw new StoreError(
        "LIMIT_EXCEEDED",
        `Cannot append ${entries.length} entries: more than ${MAX_APPEND_ENTRIES} per call`,
      );
    }
    // Leaf hashes do not depend on the position, so they are computed before taking the lock.
    const leafHashes = entries.map(leafHash);
    return withLogLock(this.#db, this.dialect, async (conn, head) => {
      const result = await plan(head.size, leafHashes, (a) => selectHashes(conn, a));
      checkAppendPlan(head.size, leafHashes, result);
      const rootHash = new Uint8Array(result.rootHash);
      const size = head.size + entries.length;
      await insertEntries(conn, head.size, entries, leafHashes);
      await insertStoredHashes(conn, result.stored);
      await writeLogHead(conn, { size, rootHash });
      return { firstIndex: head.size, size, rootHash };
    });
  }

  async ledgerSize(): Promise<number> {
    return (await this.readHead()).size;
  }

  readHead(): Promise<LogHead> {
    return readLogHead(this.#db, this.dialect);
  }

  async readEntries(start: number, end: number): Promise<Uint8Array[]> {
    assertRange(start, end, MAX_READ_ENTRIES, "entries");
    if (start === end) return [];
    const rows = await scanEntryRows(this.#db, start, end - start);
    const complete = rows.length === end - start && rows.every((r, i) => r.index === start + i);
    if (!complete) {
      const size = await this.ledgerSize();
      if (end > size) {
        throw new StoreError(
          "OUT_OF_RANGE",
          `Cannot read entries [${start}, ${end}): the log has ${size} entries`,
        );
      }
      throw new StoreError(
        "STORAGE_INCONSISTENT",
        `Cannot read entries [${start}, ${end}): rows are missing from the database`,
      );
    }
    return rows.map((row) => row.entry);
  }

  readHashes(addresses: readonly SubtreeAddress[]): Promise<readonly Uint8Array[]> {
    return selectHashes(this.#db, addresses);
  }

  scanEntries(start: number, limit: number): Promise<StoredEntryRow[]> {
    assertIndex(start, "scan start");
    assertRange(0, limit, MAX_READ_ENTRIES, "entry rows");
    return scanEntryRows(this.#db, start, limit);
  }

  scanStoredHashes(start: number, end: number): Promise<StoredHashRow[]> {
    assertRange(start, end, MAX_SCAN_HASHES, "stored hashes");
    return scanStoredHashRows(this.#db, start, end);
  }

  latestCheckpoint(): Promise<CheckpointRecord | undefined> {
    return selectLatestCheckpoint(this.#db);
  }

  saveCheckpoint(checkpoint: CheckpointRecord): Promise<void> {
    return withLogLock(this.#db, this.dialect, (conn, head) =>
      insertCheckpoint(conn, head, checkpoint),
    );
  }

  createToken(token: TokenRecord): Promise<void> {
    return insertToken(this.#db, token);
  }

  findToken(id: string): Promise<TokenRecord | undefined> {
    return selectToken(this.#db, id);
  }

  revokeToken(id: string): Promise<void> {
    return markTokenRevoked(this.#db, id);
  }

  async insertTelemetry(chunks: readonly TelemetryChunk[]): Promise<void> {
    if (chunks.length > MAX_TELEMETRY_CHUNKS) {
      throw new StoreError(
        "LIMIT_EXCEEDED",
        `Cannot store ${chunks.length} telemetry chunks: more than ${MAX_TELEMETRY_CHUNKS} per call`,
      );
    }
    if (chunks.length === 0) return;
    if (this.#telemetryWriter !== undefined) return this.#telemetryWriter.insert(chunks);
    return insertTelemetryChunks(this.#db, this.dialect, chunks);
  }

  async readTelemetry(
    run: string,
    afterId: number,
    limit: number,
  ): Promise<StoredTelemetryChunk[]> {
    assertIndex(afterId, "telemetry id");
    assertRange(0, limit, MAX_READ_CHUNKS, "telemetry chunks");
    return selectTelemetryChunks(this.#db, run, afterId, limit);
  }

  insertAlerts(rows: readonly AlertRow[]): Promise<number[]> {
    return insertAlertRows(this.#db, rows);
  }

  setAlertLedgerIndexes(ids: readonly number[], firstIndex: number): Promise<void> {
    assertIndex(firstIndex, "ledger index");
    return updateAlertLedgerIndexes(this.#db, ids, firstIndex);
  }

  readAlerts(run: string | undefined, limit: number): Promise<StoredAlertRow[]> {
    assertRange(0, limit, MAX_READ_ROWS, "alert rows");
    return selectAlertRows(this.#db, run, limit);
  }
}
