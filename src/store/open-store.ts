import { join } from "node:path";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { KyselyStore } from "./kysely-store.js";
import { trainguardPgTypes } from "./pg-int8.js";
import type { StoreDatabase } from "./schema.js";
import {
  DEFAULT_BUSY_TIMEOUT_MS,
  openSqliteDatabase,
  resolveHome,
  SQLITE_FILE_NAME,
  withStatementCache,
} from "./sqlite-database.js";
import { SqliteTelemetryWriter } from "./sqlite-telemetry-writer.js";
import type { Store } from "./store.js";
import { StoreError } from "./store-error.js";

export interface OpenStoreOptions {
  /** `postgres://…` or `postgresql://…`; without it, SQLite in `home`. */
  readonly url?: string;
  /** The SQLite home directory; default $TRAINGUARD_HOME, else ./.trainguard. */
  readonly home?: string;
  /** Run the schema migrations before returning (default true). */
  readonly migrate?: boolean;
  /** SQLite: how long to wait for another process's write lock (default 30 s). */
  readonly busyTimeoutMs?: number;
  /** PostgreSQL: pool size (default 10). */
  readonly maxConnections?: number;
}

/** Opens the store the options name and, unless told not to, brings its schema up to date. */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const store =
    options.url === undefined ? openSqliteStore(options) : openPostgresStore(options.url, options);
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

function openSqliteStore(options: OpenStoreOptions): KyselyStore {
  const home = resolveHome(options.home);
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const database = openSqliteDatabase(home, busyTimeoutMs);
  const db = new Kysely<StoreDatabase>({
    dialect: new SqliteDialect({ database: withStatementCache(database) }),
  });
  const writer = new SqliteTelemetryWriter({ file: join(home, SQLITE_FILE_NAME), busyTimeoutMs });
  return new KyselyStore(db, "sqlite", writer);
}

function openPostgresStore(url: string, options: OpenStoreOptions): KyselyStore {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch (error) {
    throw new StoreError("INVALID_URL", "Cannot open store: the database URL does not parse", {
      cause: error,
    });
  }
  if (protocol !== "postgres:" && protocol !== "postgresql:") {
    throw new StoreError(
      "INVALID_URL",
      `Cannot open store: scheme "${protocol}" is not postgres: or postgresql:`,
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    types: trainguardPgTypes(),
    max: options.maxConnections ?? 10,
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would kill
  // the process. The pool drops that client and the next query reconnects.
  pool.on("error", () => undefined);
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyStore(db, "postgres");
}
