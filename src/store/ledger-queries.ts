import type { Kysely } from "kysely";
import { type StoredHash, type SubtreeAddress, storedHashIndex } from "../ledger/index.js";
import { fromDatabaseBytes, toDatabaseBytes } from "./bytes.js";
import type { StoreDatabase } from "./schema.js";
import type { StoredEntryRow, StoredHashRow } from "./store.js";
import { StoreError } from "./store-error.js";

/**
 * Rows per multi-row INSERT and ids per `IN (…)`: far below SQLite's 32766 and PostgreSQL's
 * 65535 bind parameters, and large enough that a 1000-entry batch is one statement per table.
 */
export const INSERT_CHUNK_ROWS = 1000;
export const SELECT_CHUNK_IDS = 1000;

export async function insertEntries(
  conn: Kysely<StoreDatabase>,
  firstIndex: number,
  entries: readonly Uint8Array[],
  leafHashes: readonly Uint8Array[],
): Promise<void> {
  for (let start = 0; start < entries.length; start += INSERT_CHUNK_ROWS) {
    const rows = entries.slice(start, start + INSERT_CHUNK_ROWS).map((entry, i) => ({
      idx: firstIndex + start + i,
      entry: toDatabaseBytes(entry),
      leaf_hash: toDatabaseBytes(leafHashes[start + i]!),
    }));
    await conn.insertInto("ledger_entries").values(rows).execute();
  }
}

export async function insertStoredHashes(
  conn: Kysely<StoreDatabase>,
  stored: readonly StoredHash[],
): Promise<void> {
  for (let start = 0; start < stored.length; start += INSERT_CHUNK_ROWS) {
    const rows = stored.slice(start, start + INSERT_CHUNK_ROWS).map((s) => ({
      idx: storedHashIndex(s),
      hash: toDatabaseBytes(s.hash),
    }));
    await conn.insertInto("stored_hashes").values(rows).execute();
  }
}

/** Stored hashes in the order asked, one query per 1000 distinct ids; missing ones throw. */
export async function selectHashes(
  db: Kysely<StoreDatabase>,
  addresses: readonly SubtreeAddress[],
): Promise<Uint8Array[]> {
  const ids = addresses.map(storedHashIndex);
  const unique = [...new Set(ids)];
  const found = new Map<number, Uint8Array>();
  for (let start = 0; start < unique.length; start += SELECT_CHUNK_IDS) {
    const rows = await db
      .selectFrom("stored_hashes")
      .select(["idx", "hash"])
      .where("idx", "in", unique.slice(start, start + SELECT_CHUNK_IDS))
      .execute();
    for (const row of rows) found.set(row.idx, fromDatabaseBytes(row.hash));
  }
  return ids.map((id, i) => {
    const hash = found.get(id);
    if (hash === undefined) {
      const at = addresses[i]!;
      throw new StoreError(
        "HASH_NOT_FOUND",
        `Cannot read stored hash (${at.level}, ${at.index}): no row "${id}"`,
      );
    }
    return hash;
  });
}

/** Rows with index >= start, in index order, at most `limit`; gaps are returned as gaps. */
export async function scanEntryRows(
  db: Kysely<StoreDatabase>,
  start: number,
  limit: number,
): Promise<StoredEntryRow[]> {
  const rows = await db
    .selectFrom("ledger_entries")
    .select(["idx", "entry", "leaf_hash"])
    .where("idx", ">=", start)
    .orderBy("idx")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    index: row.idx,
    entry: fromDatabaseBytes(row.entry),
    leafHash: fromDatabaseBytes(row.leaf_hash),
  }));
}

/** Stored-hash rows with start <= index < end, in index order. */
export async function scanStoredHashRows(
  db: Kysely<StoreDatabase>,
  start: number,
  end: number,
): Promise<StoredHashRow[]> {
  const rows = await db
    .selectFrom("stored_hashes")
    .select(["idx", "hash"])
    .where("idx", ">=", start)
    .where("idx", "<", end)
    .orderBy("idx")
    .execute();
  return rows.map((row) => ({ index: row.idx, hash: fromDatabaseBytes(row.hash) }));
}
