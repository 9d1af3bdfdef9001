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

/**
 * The telemetry records of one run from one request, stored as one row (a chunk, as a time-series
 * store keeps them): the summary columns locate it, `body` holds the records themselves.
 */
export interface TelemetryChunk {
  readonly run: string;
  /**
   * How `body` holds the records: "ndjson", one record's JSON text per line (LF), in arrival
   * order; "json", the request body `{"records":[...]}` as received, all of this run.
   */
  readonly format: TelemetryChunkFormat;
  /** Records in the chunk (at least 1). */
  readonly count: number;
  /** Lowest and highest rank of its records; ranks are at most 2^31 - 1 (int4 in PostgreSQL). */
  readonly minRank: number;
  readonly maxRank: number;
  /** Lowest and highest integer `step` of its records; null when none has one. */
  readonly minStep: number | null;
  readonly maxStep: number | null;
  /** Lowest and highest finite `time` (Unix seconds) of its records; null when none has one. */
  readonly minTime: number | null;
  readonly maxTime: number | null;
  /** Server time, milliseconds since the epoch. */
  readonly receivedAt: number;
  /** The principal of the token that sent it. */
  readonly principal: string;
  /** The records' text, or its UTF-8 bytes (valid UTF-8), stored as that text. */
  readonly body: string | Uint8Array;
  /**
   * A byte body's buffer holds nothing else the caller still needs: a SQLite store's writer
   * thread takes the whole buffer (moved, not copied; the caller's views of it are left empty).
   * Without it, the body's bytes are copied.
   */
  readonly bodyMovable?: boolean | undefined;
}

export type TelemetryChunkFormat = "ndjson" | "json";

/** A stored telemetry chunk, as read back; ids grow in arrival order across runs. */
export interface StoredTelemetryChunk extends TelemetryChunk {
  readonly id: number;
  readonly body: string;
}

/** An alert to keep; `evidence` is JSON text. */
export interface AlertRow {
  readonly run: string;
  readonly rank: number | null;
  readonly step: number | null;
  readonly detector: string;
  readonly severity: string;
  readonly message: string;
  readonly evidence: string;
  readonly raisedAt: number;
}

export interface StoredAlertRow extends AlertRow {
  readonly id: number;
  /** The ledger entry that records it; null while its append is pending. */
  readonly ledgerIndex: number | null;
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

  /**
   * Stores the telemetry chunks of one request in one transaction (all or none): one statement
   * on PostgreSQL, as few as SQLite's parameter limit allows. At most MAX_TELEMETRY_CHUNKS.
   */
  insertTelemetry(chunks: readonly TelemetryChunk[]): Promise<void>;
  /**
   * Telemetry chunks of `run` with id > `afterId`, in id order, at most `limit` (at most
   * MAX_READ_CHUNKS: a chunk may hold a whole request). `telemetryRecords` reads a run's records.
   */
  readTelemetry(run: string, afterId: number, limit: number): Promise<StoredTelemetryChunk[]>;
  /** Stores alerts (ledger index null); answers their ids in order. */
  insertAlerts(rows: readonly AlertRow[]): Promise<number[]>;
  /** Records the ledger index of each stored alert, `ids[i]` at `firstIndex + i`. */
  setAlertLedgerIndexes(ids: readonly number[], firstIndex: number): Promise<void>;
  /** Alerts in id order, of one run or of all, at most `limit` (bounded). */
  readAlerts(run: string | undefined, limit: number): Promise<StoredAlertRow[]>;
}
