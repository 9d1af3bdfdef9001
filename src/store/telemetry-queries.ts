/**
 * Telemetry chunks and alert rows. A request's chunks (one per run) go in with one statement on
 * PostgreSQL (`unnest` of array parameters, whatever the number of chunks). SQLite stores use
 * the writer thread of sqlite-telemetry-writer.ts; the path here (a few fixed multi-row
 * statements, prepared once, inside one `BEGIN IMMEDIATE`) serves a store opened without one.
 */
import { CompiledQuery, type Kysely, sql } from "kysely";
import type { StoreDatabase } from "./schema.js";
import { chunkParams, TELEMETRY_COLUMNS } from "./sqlite-telemetry-writer.js";
import type {
  AlertRow,
  Dialect,
  StoredAlertRow,
  StoredTelemetryChunk,
  TelemetryChunk,
  TelemetryChunkFormat,
} from "./store.js";
import { StoreError } from "./store-error.js";

const COLUMNS = TELEMETRY_COLUMNS.join(", ");
const PARAMS_PER_ROW = TELEMETRY_COLUMNS.length;
/**
 * Rows per SQLite statement: 64 * 12 = 768 parameters, far below SQLITE_MAX_VARIABLE_NUMBER
 * (32,766 since 3.32, https://www.sqlite.org/limits.html#max_variable_number). A remainder is
 * split into powers of two, so at most seven distinct statements are ever prepared.
 */
const SQLITE_CHUNK_ROWS = 64;

const sqliteInsertText = new Map<number, string>();

function sqliteInsert(rows: number): string {
  let text = sqliteInsertText.get(rows);
  if (text === undefined) {
    const tuple = `(${Array.from({ length: PARAMS_PER_ROW }, () => "?").join(",")})`;
    text = `insert into telemetry (${COLUMNS}) values ${Array.from({ length: rows }, () => tuple).join(",")}`;
    sqliteInsertText.set(rows, text);
  }
  return text;
}

/** Row counts of the statements that insert `total` rows: full chunks, then powers of two. */
export function sqliteChunks(total: number): number[] {
  const chunks: number[] = [];
  let left = total;
  while (left >= SQLITE_CHUNK_ROWS) {
    chunks.push(SQLITE_CHUNK_ROWS);
    left -= SQLITE_CHUNK_ROWS;
  }
  for (let size = SQLITE_CHUNK_ROWS / 2; size >= 1; size /= 2) {
    if (left >= size) {
      chunks.push(size);
      left -= size;
    }
  }
  return chunks;
}

const PG_INSERT = `insert into telemetry (${COLUMNS}) select * from unnest($1::text[], $2::text[], $3::int4[], $4::int4[], $5::int4[], $6::int8[], $7::int8[], $8::float8[], $9::float8[], $10::int8[], $11::text[], $12::text[])`;

export async function insertTelemetryChunks(
  db: Kysely<StoreDatabase>,
  dialect: Dialect,
  chunks: readonly TelemetryChunk[],
): Promise<void> {
  if (chunks.length === 0) return;
  if (dialect === "postgres") {
    const columns: unknown[][] = Array.from({ length: PARAMS_PER_ROW }, () => []);
    for (const c of chunks) {
      const values = chunkParams(c);
      for (let i = 0; i < PARAMS_PER_ROW; i++) columns[i]!.push(values[i]);
    }
    await db.executeQuery(CompiledQuery.raw(PG_INSERT, columns));
    return;
  }
  await db.connection().execute(async (conn) => {
    try {
      await sql.raw("begin immediate").execute(conn);
    } catch (error) {
      throw wrapBusy(error);
    }
    try {
      let at = 0;
      for (const count of sqliteChunks(chunks.length)) {
        const values = chunks.slice(at, at + count).flatMap(chunkParams);
        await conn.executeQuery(CompiledQuery.raw(sqliteInsert(count), values));
        at += count;
      }
      await sql`commit`.execute(conn);
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw wrapBusy(error);
    }
  });
}

export async function selectTelemetryChunks(
  db: Kysely<StoreDatabase>,
  run: string,
  afterId: number,
  limit: number,
): Promise<StoredTelemetryChunk[]> {
  const rows = await db
    .selectFrom("telemetry")
    .selectAll()
    .where("run", "=", run)
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    run: r.run,
    format: chunkFormat(r.format, r.id),
    count: r.count,
    minRank: r.min_rank,
    maxRank: r.max_rank,
    minStep: r.min_step,
    maxStep: r.max_step,
    minTime: r.min_time,
    maxTime: r.max_time,
    receivedAt: r.received_at,
    principal: r.principal,
    body: r.body,
  }));
}

function chunkFormat(format: string, id: number): TelemetryChunkFormat {
  if (format === "ndjson" || format === "json") return format;
  throw new StoreError(
    "STORAGE_INCONSISTENT",
    `Cannot read telemetry chunk ${id}: unknown format "${format.slice(0, 32)}"`,
  );
}

/** Alert rows per INSERT: 9 parameters each, well inside both dialects' limits. */
const ALERT_CHUNK_ROWS = 500;

export async function insertAlertRows(
  db: Kysely<StoreDatabase>,
  rows: readonly AlertRow[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    for (let at = 0; at < rows.length; at += ALERT_CHUNK_ROWS) {
      const inserted = await trx
        .insertInto("alerts")
        .values(
          rows.slice(at, at + ALERT_CHUNK_ROWS).map((r) => ({
            run: r.run,
            rank: r.rank,
            step: r.step,
            detector: r.detector,
            severity: r.severity,
            message: r.message,
            evidence: r.evidence,
            raised_at: r.raisedAt,
            ledger_index: null,
          })),
        )
        .returning("id")
        .execute();
      // Ids grow in VALUES order in both dialects; sorting does not rely on RETURNING's order.
      ids.push(...inserted.map((r) => r.id).sort((a, b) => a - b));
    }
    return ids;
  });
}

export async function updateAlertLedgerIndexes(
  db: Kysely<StoreDatabase>,
  ids: readonly number[],
  firstIndex: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const [i, id] of ids.entries()) {
      await trx
        .updateTable("alerts")
        .set({ ledger_index: firstIndex + i })
        .where("id", "=", id)
        .execute();
    }
  });
}

export async function selectAlertRows(
  db: Kysely<StoreDatabase>,
  run: string | undefined,
  limit: number,
): Promise<StoredAlertRow[]> {
  const rows = await db
    .selectFrom("alerts")
    .selectAll()
    .$if(run !== undefined, (qb) => qb.where("run", "=", run!))
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    run: r.run,
    rank: r.rank,
    step: r.step,
    detector: r.detector,
    severity: r.severity,
    message: r.message,
    evidence: r.evidence,
    raisedAt: r.raised_at,
    ledgerIndex: r.ledger_index,
  }));
}

function wrapBusy(error: unknown): unknown {
  if (error instanceof Error && (error as { code?: unknown }).code === "SQLITE_BUSY") {
    return new StoreError("BUSY", "Cannot store telemetry: another writer held the database", {
      cause: error,
    });
  }
  return error;
}
