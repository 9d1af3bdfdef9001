import type { Kysely } from "kysely";
import { HASH_SIZE, treeHashAt } from "../ledger/index.js";
import { bytesEqual } from "./append-plan.js";
import { fromDatabaseBytes, toDatabaseBytes } from "./bytes.js";
import { selectHashes } from "./ledger-queries.js";
import { assertIndex } from "./range-checks.js";
import type { StoreDatabase } from "./schema.js";
import type { CheckpointRecord, LogHead } from "./store.js";
import { StoreError } from "./store-error.js";

export async function selectLatestCheckpoint(
  db: Kysely<StoreDatabase>,
): Promise<CheckpointRecord | undefined> {
  const row = await db
    .selectFrom("checkpoints")
    .selectAll()
    .orderBy("size", "desc")
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    size: row.size,
    rootHash: fromDatabaseBytes(row.root),
    note: row.note,
    createdAt: row.created_at,
  };
}

/**
 * Saves a checkpoint while the caller holds the log lock. A checkpoint smaller than the newest
 * would let a server sign a rollback; one past the log, or with a root that is not the log's
 * root at its size, would be a signed fork. Re-saving the newest size (a re-signed or cosigned
 * note for the same tree) replaces its note.
 */
export async function insertCheckpoint(
  conn: Kysely<StoreDatabase>,
  head: LogHead,
  checkpoint: CheckpointRecord,
): Promise<void> {
  const { size, rootHash, note, createdAt } = checkpoint;
  assertIndex(size, "checkpoint size");
  assertIndex(createdAt, "checkpoint time");
  if (rootHash.length !== HASH_SIZE) {
    throw new StoreError(
      "CHECKPOINT_MISMATCH",
      `Cannot save checkpoint ${size}: its root is ${rootHash.length} bytes`,
    );
  }
  const latest = await selectLatestCheckpoint(conn);
  if (latest !== undefined && size < latest.size) {
    throw new StoreError(
      "CHECKPOINT_REGRESSION",
      `Cannot save checkpoint ${size}: the newest saved checkpoint has size ${latest.size}`,
    );
  }
  if (size > head.size) {
    throw new StoreError(
      "CHECKPOINT_MISMATCH",
      `Cannot save checkpoint ${size}: the log has ${head.size} entries`,
    );
  }
  const expected = await treeHashAt(size, { readHashes: (a) => selectHashes(conn, a) });
  if (!bytesEqual(expected, rootHash)) {
    throw new StoreError(
      "CHECKPOINT_MISMATCH",
      `Cannot save checkpoint ${size}: its root is not the log's root at that size`,
    );
  }
  await conn
    .insertInto("checkpoints")
    .values({ size, root: toDatabaseBytes(rootHash), note, created_at: createdAt })
    .onConflict((oc) => oc.column("size").doUpdateSet({ note, created_at: createdAt }))
    .execute();
}
