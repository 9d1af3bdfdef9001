/**
 * The shape every detector has. A detector instance belongs to one run; it sees every record of
 * that run in arrival order, each step once all ranks reported it, the clock, and the end of data.
 */
import type { CrossRunIndex } from "./cross-run-index.js";
import type { RunState, StepRows } from "./run-state.js";
import type { Severity, TelemetryRecord } from "./telemetry.js";

export interface AlertDraft {
  readonly severity: Severity;
  readonly rank: number | null;
  readonly step: number | null;
  readonly message: string;
  readonly evidence?: Readonly<Record<string, unknown>> | undefined;
  /** Alerts with the same key (per detector) are raised once; default: severity, rank. */
  readonly key?: string | undefined;
}

export interface DetectorContext {
  readonly state: RunState;
  readonly runs: CrossRunIndex;
  emit(draft: AlertDraft): void;
  /** True once an alert with this key was raised: lets a detector skip building it again. */
  emitted(key: string): boolean;
}

export interface Detector {
  readonly name: string;
  onRecord?(record: TelemetryRecord, context: DetectorContext): void;
  /** A step's records, once every rank reported it (or it was flushed); read, never kept. */
  onStep?(step: number, rows: StepRows, context: DetectorContext): void;
  onTick?(now: number, context: DetectorContext): void;
  onFinish?(context: DetectorContext): void;
}
