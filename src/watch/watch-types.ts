/** What the watcher is configured with and what it reports. */
import type { FileResult, ScanOptions, Verdict } from "../scan/index.js";
import type { QuarantineEntry } from "./quarantine-index.js";

export const DEFAULT_SETTLE_MS = 2000;
export const DEFAULT_RESCAN_INTERVAL_MS = 60_000;
export const DEFAULT_QUARANTINE: readonly Verdict[] = ["dangerous"];

export interface WatchConfig {
  /** Folders to watch; resolved, and symbolic links in them never followed. */
  readonly roots: readonly string[];
  /** Holds `watch-state.json` and `quarantine/`. */
  readonly home: string;
  /** A file is scanned once its size and mtime stayed the same this long. */
  readonly settleMs: number;
  readonly rescanIntervalMs: number;
  /** How long a single pass waits for changing files (default 30 settle times, at least 60 s). */
  readonly onceMaxWaitMs?: number;
  /** Verdicts whose files are moved to quarantine. */
  readonly quarantine: ReadonlySet<Verdict>;
  readonly scanOptions?: ScanOptions;
  /** The scanner; tests pass one that writes to the file while it is scanned. */
  readonly scanFile?: (path: string, options: ScanOptions) => Promise<FileResult>;
  /** Called once per verdict, after any quarantine; awaited before the next file. */
  readonly onVerdict: (outcome: WatchOutcome) => Promise<void> | void;
  /** Something went wrong that the watcher survives (a move failed, a folder vanished). */
  readonly onProblem?: (message: string) => void;
}

export interface WatchOutcome {
  readonly path: string;
  readonly result: FileResult;
  readonly quarantined?: QuarantineEntry;
}

/** What a single pass (`--once`) saw. */
export interface PassSummary {
  readonly scanned: number;
  /** Files skipped because they are unchanged since their last scan. */
  readonly unchanged: number;
  /** Files still changing when the pass gave up waiting for them (not scanned, not clean). */
  readonly unsettled: number;
  /** Every file seen is (or was last scanned) clean. */
  readonly allClean: boolean;
}
