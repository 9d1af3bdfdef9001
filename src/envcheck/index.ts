/**
 * Python environment integrity (`trainguard env`): checks a venv, conda prefix or site-packages
 * directory against its packages' own records, finds unlisted files, startup hooks and poisoned
 * compiled caches, and makes and compares signed snapshots.
 */
export type { BaselineOptions } from "./baseline.js";
export type { BytecodeCheck, BytecodeIssue } from "./bytecode.js";
export {
  type CheckEnvironmentOptions,
  checkEnvironment,
  type EnvProgress,
} from "./check-environment.js";
export {
  type DiffChange,
  type DiffEntry,
  diffSnapshots,
  type SnapshotDiff,
} from "./diff-snapshots.js";
export { EnvCheckError, type EnvCheckErrorCode } from "./env-error.js";
export { detectLayout, type EnvLayout } from "./layout.js";
export { DEFAULT_DPKG_INFO } from "./records/dpkg-records.js";
export { envReportToJson } from "./report/json.js";
export { envReportToSarif } from "./report/sarif.js";
export { type EnvTextOptions, envReportToText, envSummaryLine } from "./report/text.js";
export { type SnapshotOptions, type SnapshotResult, snapshotEnvironment } from "./snapshot.js";
export type {
  EnvFinding,
  EnvReport,
  EnvSummary,
  FindingKind,
  FindingSource,
  LayoutKind,
  RecordKind,
  Severity,
} from "./types.js";
export { isFailing } from "./types.js";
