/** The trainguard server: start it, talk to it, verify its ledger. */

export { POST_BATCH_SIZE, postEvents } from "./client.js";
export { parseDuration } from "./duration.js";
export { LedgerClient } from "./ledger-client.js";
export type { LogKey } from "./log-key.js";
export { DEFAULT_ORIGIN, LOG_KEY_FILE, loadOrCreateLogKey, readLogKey } from "./log-key.js";
export type { ServerConfig } from "./server-config.js";
export { DEFAULT_HOST, DEFAULT_PORT } from "./server-config.js";
export type { ErrorBody, ServerErrorCode } from "./server-error.js";
export { ServerError } from "./server-error.js";
export type { RunningServer } from "./start-server.js";
export { startServer } from "./start-server.js";
export type { CreatedToken, CreateTokenOptions, Principal } from "./tokens.js";
export { authenticate, createToken } from "./tokens.js";
export type {
  LedgerProblem,
  LedgerProblemKind,
  LedgerVerifyOptions,
  LedgerVerifyReport,
  TrustedHead,
} from "./verify-ledger.js";
export { verifyLedger } from "./verify-ledger.js";
export { generateWitnessKeys, readWitnessKey } from "./witness-key.js";
