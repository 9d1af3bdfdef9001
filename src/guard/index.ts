/** The load guard's Node side: the scanner daemon that Python's `trainguard.load` asks. */
export { type CachedScan, type CheckOptions, checkFile } from "./check-file.js";
export { requestCheck, sendLine } from "./guard-client.js";
export { GuardError, type GuardErrorCode } from "./guard-error.js";
export { type GuardServer, type GuardServerOptions, startGuardServer } from "./guard-server.js";
export {
  type GuardErrorReply,
  type GuardReply,
  type GuardRequest,
  MAX_REQUEST_BYTES,
  parseRequest,
  type VerifyRequest,
} from "./protocol.js";
export { DEFAULT_CACHE_ENTRIES, identityKey, ResultCache } from "./result-cache.js";
export { defaultSocketPath, SOCKET_ENV } from "./socket-path.js";
