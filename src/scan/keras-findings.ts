/**
 * Judges what the Keras config walker saw. Keras resolves `module` + `class_name` by importing
 * the module (CVE-2025-1550 before Keras 3.9 imported any module), runs Lambda layers'
 * marshalled bytecode (CVE-2024-3660), and a config can switch safe mode off itself
 * (CVE-2025-9906). Names inside Keras's own namespaces are expected; anything else is code from
 * somewhere else: suspicious, or dangerous when it is on the known-dangerous list.
 */
import { FormatError } from "../formats/format-error.js";
import {
  type KerasObservation,
  parseKerasConfig,
  walkKerasConfig,
} from "../formats/keras/index.js";
import { at, type ScanContext } from "./context.js";
import { matchDangerous } from "./policy/known-dangerous.js";
import { finding } from "./rules.js";

/** Keras's own packages: Keras 3 (`keras`, `keras.src.*`), Keras 2 (`tf_keras`, TF's copies). */
const KERAS_ROOTS = [
  "keras",
  "tf_keras",
  "tensorflow.keras",
  "tensorflow.python.keras",
  "tensorflow.python.ops",
] as const;

/**
 * Names inside Keras that a config can reach and that touch files or loading: `get_file`
 * downloads to any path (CVE-2025-8747, a bypass of the 3.9 module allowlist).
 */
const KERAS_DANGEROUS_NAMES = new Set([
  "get_file",
  "load_model",
  "load_weights",
  "load_model_from_hdf5",
]);

/** Keras 3 serialization markers that are not Python names. */
const MARKERS = new Set([
  "function",
  "__tuple__",
  "__numpy__",
  "__bytes__",
  "__tensor__",
  "__typespec__",
  "__lambda__",
]);

const LAMBDA_REFERENCE = "CVE-2024-3660 (Keras Lambda marshalled bytecode)";
const MODULE_REFERENCE = "CVE-2025-1550 (Keras module/class_name import)";
const SAFE_MODE_REFERENCE = "CVE-2025-9906 (enable_unsafe_deserialization in config)";

export function isKerasNamespace(module: string): boolean {
  return KERAS_ROOTS.some((root) => module === root || module.startsWith(`${root}.`));
}

/** The module a reference names, or undefined for a bare class name Keras resolves itself. */
function referencedPath(o: Extract<KerasObservation, { kind: "reference" }>): string | undefined {
  if (o.field.endsWith("module")) {
    return o.className === undefined || MARKERS.has(o.className)
      ? o.value
      : `${o.value}.${o.className}`;
  }
  if (MARKERS.has(o.value)) return undefined;
  // Keras 2/3 registered names are "package>Name"; dotted names are import paths.
  if (o.value.includes(">")) return o.value.replace(">", ".");
  if (o.value.includes(".")) return o.value;
  return undefined;
}

function judgeReference(
  o: Extract<KerasObservation, { kind: "reference" }>,
  where: string,
  member: string | undefined,
  ctx: ScanContext,
): void {
  const path = referencedPath(o);
  if (path === undefined) return;
  const danger = matchDangerous(path);
  const last = path.slice(path.lastIndexOf(".") + 1);
  if (danger === undefined && isKerasNamespace(path) && !KERAS_DANGEROUS_NAMES.has(last)) return;
  if (danger === undefined && !isKerasNamespace(path) && ctx.allow.has(path)) return;
  const message = `${where}: ${o.field} '${o.value}' at ${o.path} names '${path}'`;
  if (danger !== undefined || KERAS_DANGEROUS_NAMES.has(last)) {
    const category = danger?.category ?? "file";
    ctx.collector.add(
      finding("keras/unsafe-module", `${message} (${category})`, at(member), {
        severity: "critical",
        verdict: "dangerous",
        reference:
          danger?.reference ?? (danger ? MODULE_REFERENCE : "CVE-2025-8747 (keras get_file)"),
      }),
    );
    return;
  }
  ctx.collector.add(
    finding("keras/unsafe-module", `${message}, outside Keras's namespaces`, at(member), {
      reference: MODULE_REFERENCE,
    }),
  );
}

/**
 * Adds the findings for one Keras config text. `where` names it in messages ("model_config",
 * "config.json"). Malformed or over-bound configs are `keras/malformed`.
 */
export function kerasConfigFindings(
  text: string,
  where: string,
  member: string | undefined,
  ctx: ScanContext,
): void {
  let observations: readonly KerasObservation[];
  try {
    observations = walkKerasConfig(parseKerasConfig(text)).observations;
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    ctx.collector.add(
      finding("keras/malformed", `Cannot read ${where}: ${error.message}`, at(member)),
    );
    return;
  }
  for (const o of observations) {
    if (o.kind === "lambda") {
      ctx.collector.add(
        finding(
          "keras/lambda",
          `${where}: Lambda at ${o.path} (${o.detail}) runs its code when Keras loads the model`,
          at(member),
          { reference: LAMBDA_REFERENCE },
        ),
      );
    } else if (o.kind === "unsafe-flag") {
      ctx.collector.add(
        finding(
          "keras/safe-mode-off",
          `${where}: ${o.detail} at ${o.path} turns Keras safe mode off`,
          at(member),
          { reference: SAFE_MODE_REFERENCE },
        ),
      );
    } else {
      judgeReference(o, where, member, ctx);
    }
  }
}

/**
 * The hook for a Keras 3 `.keras` zip: call with the text of its `config.json` member. The
 * `model.weights.h5` member is scanned by content like any member (HDF5, no `model_config`).
 */
export function kerasZipFindings(
  configJson: string,
  member: string | undefined,
  ctx: ScanContext,
): void {
  kerasConfigFindings(configJson, "config.json", member, ctx);
}

/** Whether zip member names are a Keras 3 `.keras` archive (config.json + metadata.json at root). */
export function isKerasZip(names: readonly string[]): boolean {
  return names.includes("config.json") && names.includes("metadata.json");
}
