/**
 * Keras 2 `.h5` models (and any HDF5 file): the root attributes `model_config` and
 * `training_config` hold the JSON that `keras.models.load_model` deserializes, ignoring
 * `safe_mode` for `.h5` (CVE-2025-9905). Weights are datasets and are never read. An HDF5 file
 * without `model_config` holds weights or data only and is clean.
 */
import type { ByteSource } from "../formats/byte-source.js";
import { FormatError } from "../formats/format-error.js";
import { isHdf5, readHdf5RootAttributes, withTempCopy } from "../formats/hdf5/index.js";
import { at, type ScanContext } from "./context.js";
import { kerasConfigFindings } from "./keras-findings.js";
import { finding } from "./rules.js";

/** Largest config attribute read; real model configs are kilobytes to a few megabytes. */
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;
/** Root attributes Keras 2 writes (keras/src/legacy/saving/legacy_h5_format.py). */
const CONFIG_ATTRIBUTES = ["model_config", "training_config"] as const;
const INFO_ATTRIBUTES = ["keras_version", "backend"] as const;
/** Superblock signature (8) + version byte: the least a real HDF5 file holds. */
const MIN_HDF5_BYTES = 9;

/**
 * A source that is a whole file on disk and says where (for example a FileSource given a
 * `path`): h5wasm then opens it directly, with no temporary copy and no size bound from the copy.
 */
function filePath(source: ByteSource): string | undefined {
  const path = (source as { readonly path?: unknown }).path;
  return typeof path === "string" && path !== "" ? path : undefined;
}

export function isKerasH5(head: Uint8Array, size: number): boolean {
  return size >= MIN_HDF5_BYTES && isHdf5(head);
}

export async function scanKerasH5(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
): Promise<{ format: string }> {
  let values: ReadonlyMap<string, string>;
  try {
    const read = (path: string) =>
      readHdf5RootAttributes(
        path,
        [...CONFIG_ATTRIBUTES, ...INFO_ATTRIBUTES],
        Math.min(MAX_CONFIG_BYTES, ctx.limits.maxReadBytes),
      );
    const direct = filePath(source);
    const attributes =
      direct === undefined
        ? await withTempCopy(source, ctx.limits.maxReadBytes, read)
        : await read(direct);
    values = attributes.values;
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    const rule = error.code === "LIMIT_EXCEEDED" ? "scan/limit-exceeded" : "keras/malformed";
    ctx.collector.add(finding(rule, `Cannot read HDF5 file: ${error.message}`, at(member)));
    return { format: "hdf5" };
  }
  if (!values.has("model_config")) return { format: "hdf5" };
  for (const name of CONFIG_ATTRIBUTES) {
    const text = values.get(name);
    if (text !== undefined) kerasConfigFindings(text, name, member, ctx);
  }
  return { format: "keras-h5" };
}
