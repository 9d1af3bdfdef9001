/**
 * The telemetry records of docs/monitor.md, as parsed values. Every record carries the run, the
 * rank and the time; the kinds differ in what else they say. Fields a producer left out are
 * `undefined`; non-finite numbers arrive as `NaN`/`±Infinity`.
 */

export type Digests = Readonly<Record<string, string>>;

interface RecordBase {
  readonly run: string;
  readonly rank: number;
  /** Unix seconds. */
  readonly time: number;
  /** Where the record came from (`file:line`), for messages; set by readers. */
  readonly source?: string | undefined;
}

export interface StepRecord extends RecordBase {
  readonly type: "step";
  readonly step: number;
  readonly worldSize?: number | undefined;
  readonly loss?: number | undefined;
  readonly lr?: number | undefined;
  readonly gradNorm?: number | undefined;
  readonly localGradNorm?: number | undefined;
  readonly gradSketch?: readonly number[] | undefined;
  readonly paramDigest?: string | undefined;
  readonly rngDigest?: Digests | undefined;
  readonly batchDigest?: string | undefined;
  readonly configDigest?: string | undefined;
  readonly stepTime?: number | undefined;
  readonly waitTime?: number | undefined;
  readonly optimizer?: Readonly<Record<string, number>> | undefined;
  readonly updateRelErr?: number | undefined;
}

export type LrSchedule =
  | { readonly kind: "constant"; readonly lr: number; readonly warmup?: number | undefined }
  | {
      readonly kind: "step";
      readonly lr: number;
      readonly stepSize: number;
      readonly gamma: number;
      readonly warmup?: number | undefined;
    }
  | {
      readonly kind: "multistep";
      readonly lr: number;
      readonly milestones: readonly number[];
      readonly gamma: number;
      readonly warmup?: number | undefined;
    }
  | {
      readonly kind: "exponential";
      readonly lr: number;
      readonly gamma: number;
      readonly warmup?: number | undefined;
    }
  | {
      readonly kind: "cosine";
      readonly lr: number;
      readonly tMax: number;
      readonly etaMin: number;
      readonly warmup?: number | undefined;
    };

export interface StartRecord extends RecordBase {
  readonly type: "start";
  readonly worldSize?: number | undefined;
  readonly seed?: number | undefined;
  readonly config?: Readonly<Record<string, unknown>> | undefined;
  readonly configDigest?: string | undefined;
  readonly envDigest?: string | undefined;
  readonly host?: string | undefined;
  readonly pid?: number | undefined;
  readonly user?: string | undefined;
  readonly sketchSeed?: number | undefined;
  readonly rngDigest?: Digests | undefined;
  readonly rngExpected?: Digests | undefined;
  readonly initParamDigest?: string | undefined;
  readonly lrSchedule?: LrSchedule | undefined;
  readonly hparams?: Readonly<Record<string, number>> | undefined;
  readonly startupHooks?: readonly string[] | undefined;
}

export interface HeartbeatRecord extends RecordBase {
  readonly type: "heartbeat";
  readonly step?: number | undefined;
  readonly stack?: readonly string[] | undefined;
  readonly phase?: string | undefined;
}

export interface CheckpointRecord extends RecordBase {
  readonly type: "checkpoint";
  readonly action: "save" | "load";
  readonly step?: number | undefined;
  readonly path?: string | undefined;
  readonly digest?: string | undefined;
  readonly paramDigest?: string | undefined;
}

export interface ChangeRecord extends RecordBase {
  readonly type: "change";
  readonly step: number;
  readonly changes: Readonly<Record<string, number>>;
  readonly reason?: string | undefined;
}

export interface ExitRecord extends RecordBase {
  readonly type: "exit";
  readonly step?: number | undefined;
  readonly code?: number | null | undefined;
  readonly signal?: string | null | undefined;
  readonly reason?: string | undefined;
  readonly exitSource?: "self" | "launcher" | undefined;
}

export type TelemetryRecord =
  | StepRecord
  | StartRecord
  | HeartbeatRecord
  | CheckpointRecord
  | ChangeRecord
  | ExitRecord;

export type Severity = "info" | "warning" | "high" | "critical";

export const SEVERITIES: readonly Severity[] = ["info", "warning", "high", "critical"];

export interface Alert {
  readonly detector: string;
  readonly severity: Severity;
  readonly run: string;
  readonly rank: number | null;
  readonly step: number | null;
  readonly message: string;
  /** Numbers and ids that back the alert: ranks compared, values, thresholds, record sources. */
  readonly evidence: Readonly<Record<string, unknown>>;
}
