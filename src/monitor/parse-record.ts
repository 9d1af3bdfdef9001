/**
 * Turns one decoded JSON value into a telemetry record (docs/monitor.md), checking every field it
 * uses. Producers are other people's scripts: a wrong type is a clear error naming the field,
 * never a silent coercion. Unknown fields are ignored.
 */
import type { Digests, LrSchedule, StepRecord, TelemetryRecord } from "./telemetry.js";
import { TelemetryError } from "./telemetry-error.js";

/** Longer sketches are refused: they are meant to be small, and each costs memory per step. */
export const MAX_SKETCH_DIM = 1024;
const MAX_STRING = 4096;
const MAX_STACK = 64;
const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
};

type Obj = Readonly<Record<string, unknown>>;

function fail(where: string, message: string): never {
  throw new TelemetryError("MALFORMED", `Cannot read telemetry record ${where}: ${message}`);
}

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function num(o: Obj, key: string, where: string): number | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return value;
  if (typeof value === "string" && Object.hasOwn(NON_FINITE, value)) return NON_FINITE[value];
  return fail(where, `"${key}" is not a number`);
}

function int(o: Obj, key: string, where: string, min = 0): number | undefined {
  const value = num(o, key, where);
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min) {
    return fail(where, `"${key}" is not an integer >= ${min}`);
  }
  return value;
}

function str(o: Obj, key: string, where: string): string | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && key === "run") return String(value);
  if (typeof value !== "string") return fail(where, `"${key}" is not a string`);
  if (value.length > MAX_STRING) return fail(where, `"${key}" is longer than ${MAX_STRING}`);
  return value;
}

/**
 * Hyperparameters: numbers, booleans as 1/0 (nesterov, amsgrad), number lists flattened as
 * `name.i` (Adam's betas); anything else (strings, None) is not auditable and is skipped.
 */
function numberMap(o: Obj, key: string, where: string): Record<string, number> | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return fail(where, `"${key}" is not an object`);
  const out: Record<string, number> = {};
  for (const k in value) {
    const v = value[k];
    if (typeof v === "boolean") out[k] = v ? 1 : 0;
    else if (typeof v === "number") out[k] = v;
    else if (typeof v === "string" && Object.hasOwn(NON_FINITE, v))
      out[k] = NON_FINITE[v] ?? Number.NaN;
    else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (typeof item === "number") out[`${k}.${i}`] = item;
      });
    }
  }
  return out;
}

function digests(o: Obj, key: string, where: string): Digests | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return { all: value };
  if (!isObject(value)) return fail(where, `"${key}" is not an object of digests`);
  const out: Record<string, string> = {};
  for (const k of Object.keys(value)) {
    const d = str(value, k, where);
    if (d !== undefined) out[k] = d;
  }
  return out;
}

function numbers(o: Obj, key: string, where: string, max: number): number[] | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return fail(where, `"${key}" is not an array`);
  if (value.length > max) return fail(where, `"${key}" has more than ${max} values`);
  const out = new Array<number>(value.length);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v === "number") out[i] = v;
    else if (typeof v === "string" && Object.hasOwn(NON_FINITE, v))
      out[i] = NON_FINITE[v] ?? Number.NaN;
    else return fail(where, `"${key}"[${i}] is not a number`);
  }
  return out;
}

function strings(o: Obj, key: string, where: string, max: number): string[] | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return fail(where, `"${key}" is not an array`);
  return value
    .slice(0, max)
    .map((v) => (typeof v === "string" ? v.slice(0, MAX_STRING) : String(v)));
}

function schedule(o: Obj, where: string): LrSchedule | undefined {
  const value = o.lr_schedule;
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return fail(where, `"lr_schedule" is not an object`);
  const at = `${where} ("lr_schedule")`;
  const lr = num(value, "lr", at);
  if (lr === undefined) return fail(at, `"lr" is missing`);
  const warmup = int(value, "warmup", at);
  const w = warmup === undefined ? {} : { warmup };
  const required = (key: string): number => num(value, key, at) ?? fail(at, `"${key}" is missing`);
  switch (value.kind) {
    case "constant":
      return { kind: "constant", lr, ...w };
    case "step":
      return { kind: "step", lr, stepSize: required("step_size"), gamma: required("gamma"), ...w };
    case "multistep":
      return {
        kind: "multistep",
        lr,
        milestones: numbers(value, "milestones", at, 10_000) ?? [],
        gamma: required("gamma"),
        ...w,
      };
    case "exponential":
      return { kind: "exponential", lr, gamma: required("gamma"), ...w };
    case "cosine":
      return {
        kind: "cosine",
        lr,
        tMax: required("t_max"),
        etaMin: num(value, "eta_min", at) ?? 0,
        ...w,
      };
    default:
      return fail(at, `unknown kind ${JSON.stringify(value.kind)}`);
  }
}

function stepRecord(o: Obj, base: BaseFields, where: string): StepRecord {
  const step = int(o, "step", where);
  if (step === undefined) return fail(where, `"step" is missing`);
  const check = o.update_check;
  return {
    type: "step",
    ...base,
    step,
    worldSize: int(o, "world_size", where, 1),
    loss: num(o, "loss", where),
    lr: num(o, "lr", where),
    gradNorm: num(o, "grad_norm", where),
    localGradNorm: num(o, "local_grad_norm", where),
    gradSketch: numbers(o, "grad_sketch", where, MAX_SKETCH_DIM),
    paramDigest: str(o, "param_digest", where),
    rngDigest: digests(o, "rng_digest", where),
    batchDigest: str(o, "batch_digest", where),
    configDigest: str(o, "config_digest", where),
    stepTime: num(o, "step_time", where),
    waitTime: num(o, "wait_time", where),
    optimizer: numberMap(o, "optimizer", where),
    updateRelErr: isObject(check) ? num(check, "rel_err", where) : undefined,
  };
}

interface BaseFields {
  readonly run: string;
  readonly rank: number;
  readonly time: number;
  readonly source?: string;
}

/**
 * `defaults` fills `run`/`rank` for logs that do not carry them (a plain metrics file names its
 * run by its path). `where` names the record in messages, e.g. `metrics.jsonl:12`.
 */
export function parseTelemetryRecord(
  value: unknown,
  where: string,
  defaults: { readonly run?: string; readonly rank?: number } = {},
): TelemetryRecord {
  if (!isObject(value)) return fail(where, "not a JSON object");
  const run = str(value, "run", where) ?? defaults.run;
  if (run === undefined || run === "") return fail(where, `"run" is missing`);
  const rank = int(value, "rank", where) ?? defaults.rank ?? 0;
  const time = num(value, "time", where) ?? num(value, "timestamp", where) ?? Number.NaN;
  const base: BaseFields = { run, rank, time, source: where };
  const type = value.type ?? "step";
  switch (type) {
    case "step":
      return stepRecord(value, base, where);
    case "start":
      return {
        type: "start",
        ...base,
        worldSize: int(value, "world_size", where, 1),
        seed: num(value, "seed", where),
        config: isObject(value.config) ? value.config : undefined,
        configDigest: str(value, "config_digest", where),
        envDigest: str(value, "env_digest", where),
        host: str(value, "host", where),
        pid: int(value, "pid", where),
        user: str(value, "user", where),
        sketchSeed: num(value, "sketch_seed", where),
        rngDigest: digests(value, "rng_digest", where),
        rngExpected: digests(value, "rng_expected", where),
        initParamDigest: str(value, "init_param_digest", where),
        lrSchedule: schedule(value, where),
        hparams: numberMap(value, "hparams", where),
        startupHooks: strings(value, "startup_hooks", where, MAX_STACK),
      };
    case "heartbeat":
      return {
        type: "heartbeat",
        ...base,
        step: num(value, "step", where),
        stack: strings(value, "stack", where, MAX_STACK),
        phase: str(value, "phase", where),
      };
    case "checkpoint": {
      const action = value.action;
      if (action !== "save" && action !== "load") {
        return fail(where, `"action" is not "save" or "load"`);
      }
      return {
        type: "checkpoint",
        ...base,
        action,
        step: int(value, "step", where),
        path: str(value, "path", where),
        digest: str(value, "digest", where),
        paramDigest: str(value, "param_digest", where),
      };
    }
    case "change": {
      const step = int(value, "step", where);
      if (step === undefined) return fail(where, `"step" is missing`);
      return {
        type: "change",
        ...base,
        step,
        changes: numberMap(value, "changes", where) ?? {},
        reason: str(value, "reason", where),
      };
    }
    case "exit": {
      const source = value.source;
      return {
        type: "exit",
        ...base,
        step: int(value, "step", where),
        code: value.code === null ? null : int(value, "code", where, -1_000_000),
        signal: value.signal === null ? null : str(value, "signal", where),
        reason: str(value, "reason", where),
        exitSource: source === "self" || source === "launcher" ? source : undefined,
      };
    }
    default:
      return fail(where, `unknown "type" ${JSON.stringify(type).slice(0, 80)}`);
  }
}
