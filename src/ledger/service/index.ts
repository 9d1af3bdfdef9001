/** The ledger as a server runs it: verified start-up, batched appends, signed checkpoints. */
export { AppendBatcher, MAX_BATCH_ENTRIES } from "./append-batcher.js";
export { CheckpointPublisher, DEFAULT_PUBLISH_INTERVAL_MS } from "./checkpoint-publisher.js";
export type { AppendOutcome, LedgerServiceOptions, LedgerState } from "./ledger-service.js";
export { LedgerService } from "./ledger-service.js";
export type { LedgerServiceErrorCode } from "./service-error.js";
export { LedgerServiceError } from "./service-error.js";
export type { ServiceLog } from "./service-log.js";
export { SILENT_LOG } from "./service-log.js";
export type { SignedHead } from "./signed-head-file.js";
export { readSignedHead, writeSignedHead } from "./signed-head-file.js";
export type { StartupCheck } from "./startup-check.js";
export { checkLedgerAtStartup } from "./startup-check.js";
