/**
 * The one storage interface trainguard's server and ledger use, implemented with Kysely over
 * SQLite (better-sqlite3, the embedded default in $TRAINGUARD_HOME) and PostgreSQL (pg). One test
 * suite runs against both. Numbers that PostgreSQL returns as int8 strings are normalised to
 * JavaScript numbers in one place (safe integers only).
 */
import type { StoredHash, SubtreeAddress } from "../ledger/index.js";

export type Dialect = "sqlite" | "postgres";

/** What an append must compute while it holds the log-wide lock. */
export interface AppendPlan {
  /** Hashes of complete subtrees that the new leaves complete (`storedHashesForLeaves`). */
  readonly stored: readonly StoredHash[];
  /** The root of the tree after the append. */
  readonly rootHash: Uint8Array;
}

export interface AppendResult {
  /** Index of the first appended entry. */
  readonly firstIndex: number;
  /** Tree size after the append. */
  readonly size: number;
  readonly rootHash: Uint8Array;
}

export interface CheckpointRecord {
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** The signed note text exactly as served at /checkpoint. */
  readonly note: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}

export interface TokenRecord {
  readonly id: string;
  readonly principal: string;
  /** SHA-256 of the token secret; secrets are never stored. */
  readonly secretHash: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revoked: boolean;
}

/** The log head row: the current tree size and root. */
export interface LogHead {
  readonly size: number;
  readonly rootHash: Uint8Array;
}

/** A ledger row exactly as stored, for integrity checks that must see gaps and edits. */
export interface StoredEntryRow {
  readonly index: number;
  readonly entry: Uint8Array;
  /** The leaf hash column, as stored (not recomputed). */
  readonly leafHash: Uint8Array;
}

/** A stored-hash row exactly as stored, keyed by `storedHashIndex`. */
export interface StoredHashRow {
  readonly index: number;
  readonly hash: Uint8Array;
}

export interface Store {
  readonly dialect: Dialect;
  /** Creates or upgrades the schema (in-code Kysely migrations). */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Appends entries atomically. Holds a log-wide lock (SQLite: a write transaction; PostgreSQL: a
   * row lock on the log head or an advisory lock) so that several server processes sharing one
   * database never fork the tree or lose or duplicate entries. `plan` is called inside the lock
   * with the current size and a reader of stored hashes, and must return what to store.
   */
  appendEntries(
    entries: readonly Uint8Array[],
    plan: (
      size: number,
      leafHashes: readonly Uint8Array[],
      readHashes: (addresses: readonly SubtreeAddress[]) => Promise<readonly Uint8Array[]>,
    ) => Promise<AppendPlan>,
  ): Promise<AppendResult>;
  /** The current tree size (number of entries). */
  ledgerSize(): Promise<number>;
  /** Entries [start, end) in index order, exactly as stored. */
  readEntries(start: number, end: number): Promise<Uint8Array[]>;
  /** Stored subtree hashes, in the order asked (a `HashReader` for the ledger library). */
  readHashes(addresses: readonly SubtreeAddress[]): Promise<readonly Uint8Array[]>;

  /** The log head (size and root) as stored. */
  readHead(): Promise<LogHead>;
  /**
   * Raw ledger rows with index >= start, in index order, at most `limit` (bounded): gaps and
   * edited rows are returned as they are, for `verifyLedgerStorage`.
   */
  scanEntries(start: number, limit: number): Promise<StoredEntryRow[]>;
  /** Raw stored-hash rows with start <= index < end (a bounded range), in index order. */
  scanStoredHashes(start: number, end: number): Promise<StoredHashRow[]>;

  /** The newest checkpoint, if any. */
  latestCheckpoint(): Promise<CheckpointRecord | undefined>;
  /** Saves a checkpoint; refuses (throws) one whose size is below the newest. */
  saveCheckpoint(checkpoint: CheckpointRecord): Promise<void>;

  createToken(token: TokenRecord): Promise<void>;
  findToken(id: string): Promise<TokenRecord | undefined>;
  revokeToken(id: string): Promise<void>;
}
