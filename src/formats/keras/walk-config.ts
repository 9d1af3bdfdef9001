/**
 * Walks a Keras model config (the `model_config`/`training_config` attributes of a Keras 2 `.h5`
 * file, or `config.json` of a Keras 3 `.keras` zip) and records every place that names code:
 * Lambda layers, module/class references and unsafe-deserialization switches. It visits every
 * object and array, so Sequential and Functional `layers`, nested models, wrappers' inner
 * `layer` (TimeDistributed, Bidirectional), initializers, optimizers and custom objects are all
 * seen wherever they nest. It decides nothing: the scanner judges what it reports.
 */
import { FormatError } from "../format-error.js";

/** Deeper than any real model (nested models of wrappers of layers), shallow enough for a stack. */
export const MAX_CONFIG_DEPTH = 256;
export const MAX_CONFIG_NODES = 2_000_000;

export type KerasObservation =
  /** A Lambda layer or a serialized lambda (`__lambda__`, `function_type: "lambda"`). */
  | { readonly kind: "lambda"; readonly path: string; readonly detail: string }
  /** A module, class or registered name the loader resolves (`module`, `class_name`, ...). */
  | {
      readonly kind: "reference";
      readonly path: string;
      readonly field: string;
      readonly value: string;
      /** The `class_name` (or function name) beside a `module` field, so "module.name" can be judged. */
      readonly className: string | undefined;
    }
  /** `safe_mode: false` or `enable_unsafe_deserialization` anywhere in the config. */
  | { readonly kind: "unsafe-flag"; readonly path: string; readonly detail: string };

export interface KerasConfigWalk {
  readonly observations: readonly KerasObservation[];
  readonly nodes: number;
}

const UNSAFE_SWITCH = "enable_unsafe_deserialization";
/** Keys whose string value names a Python module the loader may import. */
const isModuleKey = (key: string) => key === "module" || key.endsWith("_module");
const NAME_KEYS = ["class_name", "registered_name"] as const;

export type KerasJson =
  | null
  | boolean
  | number
  | string
  | KerasJson[]
  | { [key: string]: KerasJson };

/** Parses config text; throws MALFORMED for invalid JSON or JSON nested past the stack. */
export function parseKerasConfig(text: string): KerasJson {
  try {
    return JSON.parse(text) as KerasJson;
  } catch (error) {
    const state = error instanceof RangeError ? "nested too deeply" : "not valid JSON";
    throw new FormatError("MALFORMED", `Cannot parse Keras config: ${state}`, undefined, {
      cause: error,
    });
  }
}

function isObject(value: KerasJson): value is { [key: string]: KerasJson } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Records what one object names; returns whether it is a Lambda (its insides are its code). */
function observeObject(
  node: { [key: string]: KerasJson },
  path: string,
  inLambda: boolean,
  out: KerasObservation[],
): boolean {
  const className = typeof node.class_name === "string" ? node.class_name : undefined;
  // Keras 3 serializes a plain function as {module, class_name: "function", config: "<name>"}.
  const target =
    className === "function" && typeof node.config === "string" ? node.config : className;
  // A Lambda's own `function` ({"class_name": "__lambda__"} or function_type "lambda") is the
  // code already reported with the Lambda: report a serialized lambda only where it stands alone.
  const isLambda =
    className === "Lambda" || className === "__lambda__" || node.function_type === "lambda";
  if (isLambda && !inLambda) {
    const detail = className === undefined ? "function_type 'lambda'" : `class_name '${className}'`;
    out.push({ kind: "lambda", path, detail });
  }
  if (node.safe_mode === false) out.push({ kind: "unsafe-flag", path, detail: "safe_mode: false" });
  for (const [key, value] of Object.entries(node)) {
    if (key.includes(UNSAFE_SWITCH))
      out.push({ kind: "unsafe-flag", path, detail: `key '${key}'` });
    if (typeof value !== "string") continue;
    if (isModuleKey(key) && value !== "") {
      out.push({ kind: "reference", path, field: key, value, className: target });
    }
  }
  for (const key of NAME_KEYS) {
    const value = node[key];
    if (typeof value === "string" && value !== "") {
      out.push({ kind: "reference", path, field: key, value, className: undefined });
    }
  }
  return isLambda;
}

interface Frame {
  readonly value: KerasJson;
  readonly path: string;
  readonly depth: number;
  readonly inLambda: boolean;
}

/** Walks a parsed config iteratively (no recursion), bounded in depth and node count. */
export function walkKerasConfig(root: KerasJson): KerasConfigWalk {
  const out: KerasObservation[] = [];
  const stack: Frame[] = [{ value: root, path: "$", depth: 0, inLambda: false }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path, depth, inLambda } = stack.pop() as Frame;
    nodes += 1;
    if (nodes > MAX_CONFIG_NODES) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot walk Keras config: over ${MAX_CONFIG_NODES} values`,
      );
    }
    if (typeof value === "string") {
      if (value.includes(UNSAFE_SWITCH)) {
        out.push({ kind: "unsafe-flag", path, detail: `value '${value.slice(0, 80)}'` });
      }
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_CONFIG_DEPTH) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot walk Keras config: deeper than ${MAX_CONFIG_DEPTH}`,
      );
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i] ?? null, path: `${path}[${i}]`, depth: depth + 1, inLambda });
      }
      continue;
    }
    if (isObject(value)) {
      const lambda = observeObject(value, path, inLambda, out) || inLambda;
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, KerasJson];
        stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1, inLambda: lambda });
      }
    }
  }
  return { observations: out, nodes };
}
