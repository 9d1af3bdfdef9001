import assert from "node:assert/strict";
import { test } from "node:test";
import pg from "pg";
import { parseSafeInt, trainguardPgTypes } from "./pg-int8.js";
import { StoreError } from "./store-error.js";
import { DEFAULT_TEST_PG_URL, testDialects } from "./test-support/dialects.js";

const corrupt = (e: unknown) => e instanceof StoreError && e.code === "STORAGE_INCONSISTENT";

test("parseSafeInt() reads int8 text up to 2^53 - 1", () => {
  assert.equal(parseSafeInt("0"), 0);
  assert.equal(parseSafeInt("-42"), -42);
  assert.equal(parseSafeInt("9007199254740991"), Number.MAX_SAFE_INTEGER);
});

test("parseSafeInt() throws STORAGE_INCONSISTENT above 2^53 and for text that is not an integer", () => {
  for (const text of ["9007199254740992", "-9007199254740992", "1e3", "", " 1", "0x10", "1.0"]) {
    assert.throws(() => parseSafeInt(text), corrupt, text);
  }
});

const postgres = (await testDialects()).find((d) => d.dialect === "postgres")!;

test("a pool with trainguardPgTypes() returns int8 as numbers and refuses unsafe ones", {
  skip: postgres.skip,
}, async () => {
  const pool = new pg.Pool({
    connectionString: process.env.TRAINGUARD_TEST_PG || DEFAULT_TEST_PG_URL,
    types: trainguardPgTypes(),
  });
  try {
    const { rows } = await pool.query("SELECT count(*) AS n, 9007199254740991::int8 AS max");
    assert.deepEqual(rows, [{ n: 1, max: Number.MAX_SAFE_INTEGER }]);
    await assert.rejects(pool.query("SELECT 9007199254740992::int8 AS big"), corrupt);
    // The global parsers are untouched: other pg users still get strings.
    assert.equal(pg.types.getTypeParser(20, "text")("5"), "5");
  } finally {
    await pool.end();
  }
});
