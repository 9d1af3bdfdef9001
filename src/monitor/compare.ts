/**
 * Reproducibility: two runs that declare the same seed and configuration, on deterministic
 * kernels, must be bitwise identical step after step. The first step where any rank's parameters,
 * loss, gradient norm, batch or RNG state differ is where something (environment, data, code, a
 * saboteur) made them part; everything before it is proven identical.
 */
import type { StartRecord, StepRecord, TelemetryRecord } from "./telemetry.js";

/** Step fields compared, in the order differences are listed. */
const FIELDS = [
  "param_digest",
  "loss",
  "grad_norm",
  "local_grad_norm",
  "lr",
  "batch_digest",
  "rng_digest",
] as const;
type Field = (typeof FIELDS)[number];

export interface RunSummary {
  readonly run: string;
  readonly seed: number | null;
  readonly config_digest: string | null;
  readonly env_digest: string | null;
  readonly init_param_digest: string | null;
  readonly ranks: number;
  readonly last_step: number | null;
}

export interface Divergence {
  readonly step: number;
  readonly ranks: readonly number[];
  readonly fields: readonly Field[];
  /** For each differing rank and field, the two values. */
  readonly values: Readonly<Record<string, Readonly<Record<string, { a: unknown; b: unknown }>>>>;
}

export interface CompareReport {
  readonly a: RunSummary;
  readonly b: RunSummary;
  /** Declared facts that differ (seed, config_digest): such runs are not expected to be identical. */
  readonly declared_differences: readonly string[];
  readonly comparable: boolean;
  /** The runs started from different parameters (before step 0). */
  readonly initial_parameters_differ: boolean;
  readonly identical: boolean;
  readonly compared_steps: number;
  readonly first_divergence: Divergence | null;
  /** Set when one run reported steps the other did not (it ended earlier). */
  readonly unmatched_steps: { readonly a_only: number; readonly b_only: number };
}

function value(row: StepRecord, field: Field): unknown {
  switch (field) {
    case "param_digest":
      return row.paramDigest;
    case "loss":
      return row.loss;
    case "grad_norm":
      return row.gradNorm;
    case "local_grad_norm":
      return row.localGradNorm;
    case "lr":
      return row.lr;
    case "batch_digest":
      return row.batchDigest;
    case "rng_digest":
      return row.rngDigest === undefined
        ? undefined
        : JSON.stringify(row.rngDigest, Object.keys(row.rngDigest).sort());
  }
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || a === b;
  return a === b;
}

interface Indexed {
  readonly summary: RunSummary;
  /** `rank:step` → the latest record of that step (a restart's redo replaces the first try). */
  readonly steps: Map<string, StepRecord>;
}

function index(run: string, records: readonly TelemetryRecord[]): Indexed {
  const steps = new Map<string, StepRecord>();
  const ranks = new Set<number>();
  let start: StartRecord | undefined;
  let last = -1;
  for (const record of records) {
    if (record.run !== run) continue;
    ranks.add(record.rank);
    if (record.type === "start" && (start === undefined || record.rank < start.rank))
      start ??= record;
    if (record.type !== "step") continue;
    steps.set(`${record.rank}:${record.step}`, record);
    last = Math.max(last, record.step);
  }
  return {
    steps,
    summary: {
      run,
      seed: start?.seed ?? null,
      config_digest: start?.configDigest ?? null,
      env_digest: start?.envDigest ?? null,
      init_param_digest: start?.initParamDigest ?? null,
      ranks: ranks.size,
      last_step: last < 0 ? null : last,
    },
  };
}

export function compareRuns(
  a: { readonly run: string; readonly records: readonly TelemetryRecord[] },
  b: { readonly run: string; readonly records: readonly TelemetryRecord[] },
): CompareReport {
  const left = index(a.run, a.records);
  const right = index(b.run, b.records);
  const declared = (["seed", "config_digest"] as const).filter(
    (k) =>
      left.summary[k] !== null && right.summary[k] !== null && left.summary[k] !== right.summary[k],
  );
  const keys = [...left.steps.keys()].filter((k) => right.steps.has(k));
  const byStep = new Map<number, string[]>();
  for (const key of keys) {
    const step = Number(key.slice(key.indexOf(":") + 1));
    byStep.set(step, [...(byStep.get(step) ?? []), key]);
  }
  let divergence: Divergence | null = null;
  const initDiffers =
    left.summary.init_param_digest !== null &&
    right.summary.init_param_digest !== null &&
    left.summary.init_param_digest !== right.summary.init_param_digest;
  for (const step of [...byStep.keys()].sort((x, y) => x - y)) {
    const values: Record<string, Record<string, { a: unknown; b: unknown }>> = {};
    const fields = new Set<Field>();
    for (const key of byStep.get(step) ?? []) {
      const l = left.steps.get(key) as StepRecord;
      const r = right.steps.get(key) as StepRecord;
      for (const field of FIELDS) {
        const va = value(l, field);
        const vb = value(r, field);
        if (va === undefined || vb === undefined || same(va, vb)) continue;
        fields.add(field);
        values[String(l.rank)] = { ...values[String(l.rank)], [field]: { a: va, b: vb } };
      }
    }
    if (fields.size > 0) {
      divergence = {
        step,
        ranks: Object.keys(values)
          .map(Number)
          .sort((x, y) => x - y),
        fields: FIELDS.filter((f) => fields.has(f)),
        values,
      };
      break;
    }
  }
  const aOnly = [...left.steps.keys()].filter((k) => !right.steps.has(k)).length;
  const bOnly = [...right.steps.keys()].filter((k) => !left.steps.has(k)).length;
  return {
    a: left.summary,
    b: right.summary,
    declared_differences: declared,
    initial_parameters_differ: initDiffers,
    comparable: declared.length === 0,
    identical: divergence === null && !initDiffers && keys.length > 0,
    compared_steps: byStep.size,
    first_divergence: divergence,
    unmatched_steps: { a_only: aOnly, b_only: bOnly },
  };
}
