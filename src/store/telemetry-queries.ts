/**
 * Telemetry and alert rows. Telemetry arrives in batches of thousands, so its insert avoids
 * Kysely's query builder: SQLite runs a few fixed multi-row statements (prepared once, cached by
 * SQL text) inside one `BEGIN IMMEDIATE`; PostgreSQL inserts the whole batch with one statement
 * over `unnest` of eight array parameters, whatever the number of rows.
 */
import { CompiledQuery, type Kysely, sql } from "kysely";
import type { StoreDatabase } from "./schema.js";
import type {
  AlertRow,
  Dialect,
  StoredAlertRow,
  StoredTelemetryRow,
  TelemetryRow,
} from "./store.js";
import { StoreError } from "./store-error.js";

const COLUMNS = "run, rank, type, step, time, received_at, principal, body";
const PARAMS_PER_ROW = 8;
/**
 * Rows per SQLite statement: 256 * 8 = 2,048 parameters, far below SQLITE_MAX_VARIABLE_NUMBER
 * (32,766 since 3.32, https://www.sqlite.org/limits.html#max_variable_number). A remainder is
 * split into powers of two, so at most nine distinct statements are ever prepared.
 */
const SQLITE_CHUNK_ROWS = 256;

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

const PG_INSERT = `insert into telemetry (${COLUMNS}) select * from unnest($1::text[], $2::int4[], $3::text[], $4::int8[], $5::float8[], $6::int8[], $7::text[], $8::text[])`;

export async function insertTelemetryRows(
  db: Kysely<StoreDatabase>,
  dialect: Dialect,
  rows: readonly TelemetryRow[],
): Promise<void> {
  if (rows.length === 0) return;
  if (dialect === "postgres") {
    const columns: unknown[][] = [[], [], [], [], [], [], [], []];
    for (const r of rows) {
      columns[0]!.push(r.run);
      columns[1]!.push(r.rank);
      columns[2]!.push(r.type);
      columns[3]!.push(r.step);
      columns[4]!.push(r.time);
      columns[5]!.push(r.receivedAt);
      columns[6]!.push(r.principal);
      columns[7]!.push(r.body);
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
      for (const count of sqliteChunks(rows.length)) {
        const params: unknown[] = new Array(count * PARAMS_PER_ROW);
        for (let i = 0; i < count; i++) {
          const r = rows[at + i]!;
          const p = i * PARAMS_PER_ROW;
          params[p] = r.run;
          params[p + 1] = r.rank;
          params[p + 2] = r.type;
          params[p + 3] = r.step;
          params[p + 4] = r.time;
          params[p + 5] = r.receivedAt;
          params[p + 6] = r.principal;
          params[p + 7] = r.body;
        }
        await conn.executeQuery(CompiledQuery.raw(sqliteInsert(count), params));
        at += count;
      }
      await sql`commit`.execute(conn);
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw wrapBusy(error);
    }
  });
}

export async function selectTelemetryRows(
  db: Kysely<StoreDatabase>,
  run: string,
  afterId: number,
  limit: number,
): Promise<StoredTelemetryRow[]> {
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
    rank: r.rank,
    type: r.type,
    step: r.step,
    time: r.time,
    receivedAt: r.received_at,
    principal: r.principal,
    body: r.body,
  }));
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
