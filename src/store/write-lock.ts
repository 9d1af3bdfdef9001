import { type Kysely, sql } from "kysely";
import { fromDatabaseBytes } from "./bytes.js";
import { LOG_HEAD_ID, type StoreDatabase } from "./schema.js";
import type { Dialect, LogHead } from "./store.js";
import { StoreError } from "./store-error.js";

/**
 * Runs `fn` in one transaction that holds the log-wide write lock from its first statement, so
 * concurrent writers in any number of processes serialise and each sees the previous commit.
 * SQLite: `BEGIN IMMEDIATE` takes the database write lock at once (a deferred `BEGIN` would read
 * a stale snapshot first and then fail to upgrade). PostgreSQL: `SELECT … FOR UPDATE` on the
 * single head row; under READ COMMITTED the row returned is the newest committed version, and
 * every later statement takes a fresh snapshot that includes the previous writer's rows.
 */
export async function withLogLock<T>(
  db: Kysely<StoreDatabase>,
  dialect: Dialect,
  fn: (conn: Kysely<StoreDatabase>, head: LogHead) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    try {
      await sql.raw(dialect === "sqlite" ? "begin immediate" : "begin").execute(conn);
    } catch (error) {
      throw wrapBusy(error);
    }
    try {
      // Acknowledged means on disk, even where the server's default was relaxed: with
      // synchronous_commit off a crash can lose commits already reported to the client.
      if (dialect === "postgres") await sql`set local synchronous_commit = on`.execute(conn);
      const head = await readLogHead(conn, dialect, true);
      const result = await fn(conn, head);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      // SQLite rolls back by itself after some errors; a failed ROLLBACK must not hide the cause.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw wrapBusy(error);
    }
  });
}

/** Reads the head row, locking it for the transaction on PostgreSQL when `forUpdate`. */
export async function readLogHead(
  db: Kysely<StoreDatabase>,
  dialect: Dialect,
  forUpdate = false,
): Promise<LogHead> {
  const row = await db
    .selectFrom("log_head")
    .select(["size", "root"])
    .where("id", "=", LOG_HEAD_ID)
    .$if(forUpdate && dialect === "postgres", (qb) => qb.forUpdate())
    .executeTakeFirst();
  if (row === undefined) {
    throw new StoreError("STORAGE_INCONSISTENT", "Cannot read log head: the row is missing");
  }
  return { size: row.size, rootHash: fromDatabaseBytes(row.root) };
}

export async function writeLogHead(conn: Kysely<StoreDatabase>, head: LogHead): Promise<void> {
  await conn
    .updateTable("log_head")
    .set({ size: head.size, root: Buffer.from(head.rootHash) })
    .where("id", "=", LOG_HEAD_ID)
    .execute();
}

function wrapBusy(error: unknown): unknown {
  if (error instanceof Error && (error as { code?: unknown }).code === "SQLITE_BUSY") {
    return new StoreError("BUSY", `Cannot lock ledger: another writer held it too long`, {
      cause: error,
    });
  }
  return error;
}
