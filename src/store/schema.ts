/**
 * The tables as Kysely sees them. Sizes and indexes are int8 in PostgreSQL (parsed by
 * `parseSafeInt`) and INTEGER in SQLite; bytes are bytea/BLOB and come back as Buffers.
 */
import type { Generated } from "kysely";

export interface LedgerEntryTable {
  /** Position of the entry in the log, from 0. */
  readonly idx: number;
  /** The entry exactly as appended. */
  readonly entry: Uint8Array;
  /** SHA-256(0x00 || entry), RFC 9162 §2.1.1. */
  readonly leaf_hash: Uint8Array;
}

export interface StoredHashTable {
  /** `storedHashIndex({ level, index })`: the dense append-order position of the subtree. */
  readonly idx: number;
  readonly hash: Uint8Array;
}

/** Exactly one row (id 1): the lock point every append takes, and the current tree head. */
export interface LogHeadTable {
  readonly id: number;
  readonly size: number;
  readonly root: Uint8Array;
}

export interface CheckpointTable {
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
  readonly created_at: number;
}

export interface TokenTable {
  readonly id: string;
  readonly principal: string;
  readonly secret_hash: Uint8Array;
  readonly created_at: number;
  readonly expires_at: number | null;
  /** 0 or 1 in both dialects, so one code path binds it (better-sqlite3 cannot bind booleans). */
  readonly revoked: number;
}

/**
 * The telemetry records of one run from one request (`TelemetryChunk` in store.ts): summary
 * columns to find a chunk, the records themselves in `body`.
 */
export interface TelemetryTable {
  /** Autoincrement; the arrival order across runs. */
  readonly id: Generated<number>;
  readonly run: string;
  /** "ndjson" (one record per line) or "json" (a `{"records":[...]}` body of this run only). */
  readonly format: string;
  readonly count: number;
  readonly min_rank: number;
  readonly max_rank: number;
  /** Integer steps of the records; null when none has one. */
  readonly min_step: number | null;
  readonly max_step: number | null;
  /** Finite times (Unix seconds) of the records; null when none has one. */
  readonly min_time: number | null;
  readonly max_time: number | null;
  /** Server time, milliseconds since the epoch. */
  readonly received_at: number;
  /** The principal of the token that sent it. */
  readonly principal: string;
  readonly body: string;
}

/** An alert a detector raised, kept so it survives a restart; `ledger_index` once recorded. */
export interface AlertTable {
  readonly id: Generated<number>;
  readonly run: string;
  readonly rank: number | null;
  readonly step: number | null;
  readonly detector: string;
  readonly severity: string;
  readonly message: string;
  /** The evidence object as JSON text (non-finite numbers as "NaN"/"Infinity" strings). */
  readonly evidence: string;
  /** Milliseconds since the epoch. */
  readonly raised_at: number;
  readonly ledger_index: number | null;
}

export interface StoreDatabase {
  readonly ledger_entries: LedgerEntryTable;
  readonly stored_hashes: StoredHashTable;
  readonly log_head: LogHeadTable;
  readonly checkpoints: CheckpointTable;
  readonly tokens: TokenTable;
  readonly telemetry: TelemetryTable;
  readonly alerts: AlertTable;
}

/** The id of the single log head row. */
export const LOG_HEAD_ID = 1;
