import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/** The database file inside the trainguard home directory. */
export const SQLITE_FILE_NAME = "trainguard.db";

/** How long a writer waits for another process's write transaction before failing with BUSY. */
export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;

/**
 * Page size of a new database file (an existing file keeps its own: a WAL database cannot
 * change it). Telemetry chunks are whole request bodies of megabytes, stored as overflow pages:
 * with 4 KB pages a 3.4 MB chunk is about 850 WAL frames, each its own write(2), checkpointed
 * page by page again, and the telemetry writer spent 14 ms of CPU per chunk, two thirds of it in
 * the kernel; with 32 KB pages, 6.5 ms (docs/server.md).
 */
export const SQLITE_PAGE_SIZE = 32_768;

/** Prepared statements kept per connection; the store issues a few dozen distinct SQL texts. */
const STATEMENT_CACHE_SIZE = 128;

/** `home`, else $TRAINGUARD_HOME, else ./.trainguard (DESIGN.md, Storage). */
export function resolveHome(home?: string): string {
  const fromEnv = process.env.TRAINGUARD_HOME;
  return resolve(home ?? (fromEnv === undefined || fromEnv === "" ? ".trainguard" : fromEnv));
}

/**
 * Opens (creating if needed) `<home>/trainguard.db`. The home directory is created 0700: it holds
 * token hashes and the ledger. WAL lets readers run beside the one writer; synchronous=FULL
 * fsyncs the WAL at every commit, so an acknowledged append survives SIGKILL and power loss
 * (https://www.sqlite.org/pragma.html#pragma_synchronous); busy_timeout makes a second process
 * wait for the write lock instead of failing at once.
 */
export function openSqliteDatabase(home: string, busyTimeoutMs: number): Database.Database {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const db = new Database(join(home, SQLITE_FILE_NAME), { timeout: busyTimeoutMs });
  try {
    db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    // Before journal_mode: on a new, empty file it takes effect; on any other it does nothing.
    db.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Kysely's SQLite driver prepares every query afresh; this keeps the prepared statements by SQL
 * text (least recently used dropped first), so repeated batch inserts skip the SQL compiler.
 */
export function withStatementCache(db: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached !== undefined && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = db.prepare(sql);
      if (cached === undefined) {
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
      }
      return statement;
    },
  };
}
