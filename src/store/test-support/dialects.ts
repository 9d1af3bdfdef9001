import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { OpenStoreOptions } from "../open-store.js";
import { SQLITE_FILE_NAME } from "../sqlite-database.js";
import type { Dialect } from "../store.js";

/**
 * The dialects every store suite loops over, as Kysely's test/node/src/test-setup.ts does:
 * SQLite always; PostgreSQL when $TRAINGUARD_TEST_PG (default the local test server) answers.
 * Each test gets its own database, so parallel runs never share tables.
 */
export const DEFAULT_TEST_PG_URL = "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  /** What to pass to `openStore`. */
  readonly options: OpenStoreOptions;
  /** Runs raw SQL outside the store, to tamper with rows. */
  exec(sqlText: string): Promise<void>;
  drop(): Promise<void>;
}

export interface DialectTarget {
  readonly dialect: Dialect;
  /** Why the dialect's tests are skipped; false when they run. */
  readonly skip: string | false;
  fresh(): Promise<TestDatabase>;
}

export async function testDialects(): Promise<DialectTarget[]> {
  const pgUrl = process.env.TRAINGUARD_TEST_PG || DEFAULT_TEST_PG_URL;
  const reason = await pgUnreachable(pgUrl);
  return [
    { dialect: "sqlite", skip: false, fresh: freshSqlite },
    {
      dialect: "postgres",
      skip:
        reason === undefined ? false : `PostgreSQL not reachable at ${redact(pgUrl)}: ${reason}`,
      fresh: () => freshPostgres(pgUrl),
    },
  ];
}

async function freshSqlite(): Promise<TestDatabase> {
  const home = mkdtempSync(join(tmpdir(), "tg-store-"));
  return {
    options: { home },
    async exec(sqlText) {
      const db = new Database(join(home, SQLITE_FILE_NAME));
      try {
        db.exec(sqlText);
      } finally {
        db.close();
      }
    },
    async drop() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function freshPostgres(baseUrl: string): Promise<TestDatabase> {
  const name = `tg_test_${randomBytes(6).toString("hex")}`;
  await withClient(baseUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const options: OpenStoreOptions = { url: url.toString() };
  return {
    options,
    async exec(sqlText) {
      await withClient(url.toString(), (c) => c.query(sqlText));
    },
    async drop() {
      await withClient(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function pgUnreachable(url: string): Promise<string | undefined> {
  try {
    await withClient(url, (c) => c.query("SELECT 1"));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}
