/**
 * The files TensorFlow and Keras write beside `saved_model.pb`. `keras_metadata.pb` holds one
 * Keras config per layer or model, which `tf.keras.models.load_model` deserializes: each is
 * checked like a `.h5` model_config (Lambda bytecode, modules outside Keras, safe mode switched
 * off). `fingerprint.pb` holds hashes only: parsed with bounds, clean when it is one.
 */
import type { ByteSource } from "../formats/byte-source.js";
import { FormatError } from "../formats/format-error.js";
import {
  isFingerprintHead,
  isKerasMetadataHead,
  type KerasSavedObject,
  readFingerprint,
  readKerasMetadata,
} from "../formats/tf/index.js";
import { at, type ScanContext } from "./context.js";
import { kerasConfigFindings } from "./keras-findings.js";
import { readWhole } from "./read-whole.js";
import { finding } from "./rules.js";

export const isKerasMetadata = isKerasMetadataHead;
export const isTfFingerprint = isFingerprintHead;

export function reportUnreadableTf(
  error: unknown,
  member: string | undefined,
  ctx: ScanContext,
): void {
  if (!(error instanceof FormatError)) throw error;
  const rule = error.code === "LIMIT_EXCEEDED" ? "scan/limit-exceeded" : "tf/malformed";
  ctx.collector.add(finding(rule, error.message, at(member, error.offset)));
}

const label = (node: KerasSavedObject) =>
  `keras_metadata node ${node.nodeId}${node.nodePath === "" ? "" : ` '${node.nodePath}'`}`;

export async function scanKerasMetadata(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
): Promise<{ format: string }> {
  const format = "keras-savedmodel-metadata";
  const bytes = await readWhole(source, "Keras metadata", member, ctx);
  if (bytes === undefined) return { format };
  let nodes: KerasSavedObject[];
  try {
    nodes = readKerasMetadata(bytes);
  } catch (error) {
    reportUnreadableTf(error, member, ctx);
    return { format };
  }
  for (const node of nodes) {
    // Objects Keras saved without Python-side attributes have no metadata to revive from.
    if (node.metadata !== "") kerasConfigFindings(node.metadata, label(node), member, ctx);
  }
  return { format };
}

export async function scanTfFingerprint(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
): Promise<{ format: string }> {
  const format = "tf-fingerprint";
  const bytes = await readWhole(source, "fingerprint", member, ctx);
  if (bytes === undefined) return { format };
  try {
    readFingerprint(bytes);
  } catch (error) {
    reportUnreadableTf(error, member, ctx);
  }
  return { format };
}
