import {
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
} from "kysely";
import { EMPTY_TREE_HASH } from "../ledger/index.js";
import { toDatabaseBytes } from "./bytes.js";
import { LOG_HEAD_ID, type StoreDatabase } from "./schema.js";
import type { Dialect } from "./store.js";
import { StoreError } from "./store-error.js";

/**
 * The schema as in-code Kysely migrations: a static record, so nothing depends on where the
 * compiled files land (tsx vs dist/). DDL branches on the dialect only for column types.
 */
export function storeMigrations(dialect: Dialect): Record<string, Migration> {
  // SQLite makes `INTEGER PRIMARY KEY` the rowid (no second index); PostgreSQL needs int8.
  const int8 = dialect === "sqlite" ? "integer" : "bigint";
  const bytes = dialect === "sqlite" ? "blob" : "bytea";
  return {
    "0001-ledger": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable("ledger_entries")
          .addColumn("idx", int8, (c) => c.primaryKey())
          .addColumn("entry", bytes, (c) => c.notNull())
          .addColumn("leaf_hash", bytes, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("stored_hashes")
          .addColumn("idx", int8, (c) => c.primaryKey())
          .addColumn("hash", bytes, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable("log_head")
          .addColumn("id", "integer", (c) =>
            c.primaryKey().check(sql`id = ${sql.lit(LOG_HEAD_ID)}`),
          )
          .addColumn("size", int8, (c) => c.notNull())
          .addColumn("root", bytes, (c) => c.notNull())
          .execute();
        await (db as Kysely<StoreDatabase>)
          .insertInto("log_head")
          .values({ id: LOG_HEAD_ID, size: 0, root: toDatabaseBytes(EMPTY_TREE_HASH) })
          .execute();
        await db.schema
          .createTable("checkpoints")
          .addColumn("size", int8, (c) => c.primaryKey())
          .addColumn("root", bytes, (c) => c.notNull())
          .addColumn("note", "text", (c) => c.notNull())
          .addColumn("created_at", int8, (c) => c.notNull())
          .execute();
      },
    },
    "0002-tokens": {
      async up(db: Kysely<unknown>): Promise<void> {
        await db.schema
          .createTable("tokens")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("principal", "text", (c) => c.notNull())
          .addColumn("secret_hash", bytes, (c) => c.notNull())
          .addColumn("created_at", int8, (c) => c.notNull())
          .addColumn("expires_at", int8)
          .addColumn("revoked", "integer", (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
    "0003-telemetry": {
      async up(db: Kysely<unknown>): Promise<void> {
        // One row per run per request (a chunk of records, not one row per record): see
        // TelemetryChunk in store.ts. SQLite: INTEGER PRIMARY KEY AUTOINCREMENT never reuses an
        // id; PostgreSQL: an identity.
        const serial = (c: ColumnDefinitionBuilder) =>
          dialect === "sqlite"
            ? c.primaryKey().autoIncrement()
            : c.primaryKey().generatedAlwaysAsIdentity();
        const float8 = dialect === "sqlite" ? "real" : "double precision";
        await db.schema
          .createTable("telemetry")
          .addColumn("id", int8, serial)
          .addColumn("run", "text", (c) => c.notNull())
          .addColumn("format", "text", (c) => c.notNull())
          .addColumn("count", "integer", (c) => c.notNull())
          .addColumn("min_rank", "integer", (c) => c.notNull())
          .addColumn("max_rank", "integer", (c) => c.notNull())
          .addColumn("min_step", int8)
          .addColumn("max_step", int8)
          .addColumn("min_time", float8)
          .addColumn("max_time", float8)
          .addColumn("received_at", int8, (c) => c.notNull())
          .addColumn("principal", "text", (c) => c.notNull())
          .addColumn("body", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("telemetry_run")
          .on("telemetry")
          .columns(["run", "id"])
          .execute();
        await db.schema
          .createTable("alerts")
          .addColumn("id", int8, serial)
          .addColumn("run", "text", (c) => c.notNull())
          .addColumn("rank", "integer")
          .addColumn("step", int8)
          .addColumn("detector", "text", (c) => c.notNull())
          .addColumn("severity", "text", (c) => c.notNull())
          .addColumn("message", "text", (c) => c.notNull())
          .addColumn("evidence", "text", (c) => c.notNull())
          .addColumn("raised_at", int8, (c) => c.notNull())
          .addColumn("ledger_index", int8)
          .execute();
        await db.schema.createIndex("alerts_run").on("alerts").columns(["run", "id"]).execute();
      },
    },
  };
}

function provider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => storeMigrations(dialect) };
}

/**
 * Brings the schema up to date. PostgreSQL: Kysely's migrator (transactional DDL under
 * `pg_advisory_xact_lock`). SQLite: the same migrator inside one `BEGIN IMMEDIATE`, because
 * Kysely's deferred `begin` lets two processes opening a fresh file both read, then fail with
 * SQLITE_BUSY when upgrading to a write lock (busy_timeout does not apply to that upgrade).
 */
export async function migrateStore(db: Kysely<StoreDatabase>, dialect: Dialect): Promise<void> {
  const run = async (target: Kysely<StoreDatabase>, disableTransactions: boolean) => {
    const migrator = new Migrator({ db: target, provider: provider(dialect), disableTransactions });
    const { error } = await migrator.migrateToLatest();
    if (error !== undefined) {
      throw new StoreError(
        "MIGRATION_FAILED",
        `Cannot migrate ${dialect} store: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  };
  if (dialect === "postgres") return run(db, false);
  await db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      await run(conn, true);
      await sql`commit`.execute(conn);
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
