/** trainguard's storage: one `Store` over SQLite (embedded default) and PostgreSQL. */
export { checkAppendPlan, ledgerAppendPlan } from "./append-plan.js";
export type { OpenStoreOptions } from "./open-store.js";
export { openStore } from "./open-store.js";
export { PG_INT8_OID, parseSafeInt } from "./pg-int8.js";
export {
  MAX_APPEND_ENTRIES,
  MAX_READ_CHUNKS,
  MAX_READ_ENTRIES,
  MAX_READ_ROWS,
  MAX_SCAN_HASHES,
  MAX_TELEMETRY_CHUNKS,
} from "./range-checks.js";
export { DEFAULT_BUSY_TIMEOUT_MS, resolveHome, SQLITE_FILE_NAME } from "./sqlite-database.js";
export type {
  AlertRow,
  AppendPlan,
  AppendResult,
  CheckpointRecord,
  Dialect,
  LogHead,
  Store,
  StoredAlertRow,
  StoredEntryRow,
  StoredHashRow,
  StoredTelemetryChunk,
  TelemetryChunk,
  TelemetryChunkFormat,
  TokenRecord,
} from "./store.js";
export type { StoreErrorCode } from "./store-error.js";
export { StoreError } from "./store-error.js";
export { chunkRecordTexts, telemetryRecords } from "./telemetry-records.js";
export type { LedgerStorageReport, VerifyLedgerStorageOptions } from "./verify-ledger-storage.js";
export { verifyLedgerStorage } from "./verify-ledger-storage.js";
