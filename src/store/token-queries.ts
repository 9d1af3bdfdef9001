import type { Kysely } from "kysely";
import { fromDatabaseBytes, toDatabaseBytes } from "./bytes.js";
import type { StoreDatabase } from "./schema.js";
import type { TokenRecord } from "./store.js";
import { StoreError } from "./store-error.js";

export async function insertToken(db: Kysely<StoreDatabase>, token: TokenRecord): Promise<void> {
  const result = await db
    .insertInto("tokens")
    .values({
      id: token.id,
      principal: token.principal,
      secret_hash: toDatabaseBytes(token.secretHash),
      created_at: token.createdAt,
      expires_at: token.expiresAt,
      revoked: token.revoked ? 1 : 0,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .executeTakeFirst();
  if (result.numInsertedOrUpdatedRows === 0n) {
    throw new StoreError("TOKEN_EXISTS", `Cannot create token "${token.id}": the id is taken`);
  }
}

export async function selectToken(
  db: Kysely<StoreDatabase>,
  id: string,
): Promise<TokenRecord | undefined> {
  const row = await db.selectFrom("tokens").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    id: row.id,
    principal: row.principal,
    secretHash: fromDatabaseBytes(row.secret_hash),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revoked: row.revoked !== 0,
  };
}

export async function markTokenRevoked(db: Kysely<StoreDatabase>, id: string): Promise<void> {
  const result = await db
    .updateTable("tokens")
    .set({ revoked: 1 })
    .where("id", "=", id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new StoreError("TOKEN_NOT_FOUND", `Cannot revoke token "${id}": no such token`);
  }
}
