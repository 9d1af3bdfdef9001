/** The scanner's public API: what the CLI, the server, the watcher and the load guard call. */
export { checkAllowEntry, loadScanConfig } from "./config.js";
export {
  DEFAULT_SCAN_LIMITS,
  type ScanLimits,
  type ScanOptions,
  type ScanProgress,
} from "./options.js";
export { RULES, type RuleId } from "./rules.js";
export { ScanError, type ScanErrorCode } from "./scan-error.js";
export { scanBuffer, scanFile } from "./scan-file.js";
export { scanPath } from "./scan-path.js";
export type {
  FileResult,
  Finding,
  FindingLocation,
  ScanReport,
  ScanSummary,
  Severity,
  Verdict,
} from "./types.js";
export { summarize, worseVerdict } from "./types.js";
