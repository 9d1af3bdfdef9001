/** The watcher and quarantine: what `trainguard watch` and `trainguard quarantine` call. */
export { type FileIdentity, identify, sameIdentity } from "./file-identity.js";
export { currentUser, quarantineFile, sha256File } from "./quarantine-file.js";
export {
  type FindingSummary,
  type QuarantineEntry,
  quarantineDir,
  readQuarantineIndex,
} from "./quarantine-index.js";
export { type Restored, restoreFile } from "./restore-file.js";
export { WatchError, type WatchErrorCode } from "./watch-error.js";
export { loadWatchState, type StateEntry, WATCH_STATE_FILE } from "./watch-state.js";
export {
  DEFAULT_QUARANTINE,
  DEFAULT_RESCAN_INTERVAL_MS,
  DEFAULT_SETTLE_MS,
  type PassSummary,
  type WatchConfig,
  type WatchOutcome,
} from "./watch-types.js";
export { type RunningWatcher, startWatcher, watchOnce } from "./watcher.js";
