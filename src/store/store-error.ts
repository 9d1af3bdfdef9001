/**
 * The one error the store throws. The database is shared by server replicas and could be edited
 * by hand, so codes separate caller mistakes from broken storage; tests assert the code.
 */
export type StoreErrorCode =
  /** The database URL is not `postgres://` or `postgresql://`, or cannot be parsed. */
  | "INVALID_URL"
  /** An index, range or size is negative, not a safe integer, or outside the log. */
  | "OUT_OF_RANGE"
  /** A request is larger than the store serves in one call. */
  | "LIMIT_EXCEEDED"
  /** An append was given no entries. */
  | "EMPTY_APPEND"
  /** The append plan does not store exactly the hashes the new leaves complete, or its root is malformed. */
  | "INVALID_PLAN"
  /** A stored subtree hash that was asked for is not in the database. */
  | "HASH_NOT_FOUND"
  /** Rows the log's invariants require are missing or malformed: the database was altered. */
  | "STORAGE_INCONSISTENT"
  /** A checkpoint is smaller than the newest saved one. */
  | "CHECKPOINT_REGRESSION"
  /** A checkpoint's size is past the log or its root is not the log's root at that size. */
  | "CHECKPOINT_MISMATCH"
  /** A token with this id already exists. */
  | "TOKEN_EXISTS"
  /** No token has this id. */
  | "TOKEN_NOT_FOUND"
  /** The database stayed locked by another writer for longer than the busy timeout. */
  | "BUSY"
  /** The schema migrations failed. */
  | "MIGRATION_FAILED";

export class StoreError extends Error {
  override readonly name = "StoreError";
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
