import type { TelemetryRecord } from "../telemetry.js";

/** Something in the input that could not be read; reading goes on past it. */
export interface ReadProblem {
  /** `file:line` for line logs, `file@byte` for TensorBoard records, else the file or run directory. */
  readonly source: string;
  readonly message: string;
}

export interface ReadResult {
  /** Records in file order; files in the order the arguments and sorted directory walks give. */
  readonly records: TelemetryRecord[];
  readonly problems: ReadProblem[];
  /** The files (and MLflow run directories) a reader was run on. */
  readonly files: string[];
}

export interface ReadOptions {
  /** The longest line or TensorBoard record read; longer ones are reported and skipped. */
  readonly maxRecordBytes?: number;
}

/** 1 MiB: far above a telemetry line or a scalar event, far below what would hurt memory. */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** Where readers put what they find. */
export interface ReadSink {
  readonly records: TelemetryRecord[];
  readonly problems: ReadProblem[];
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
