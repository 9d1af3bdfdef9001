/**
 * Folder-level evidence for files no format claims: tensor data that a model in the same scan
 * names (ONNX external data resolved inside the model's folder, a SavedModel's `variables/`).
 * The model's loader reads such a file as raw bytes and runs nothing from it, so it is reported
 * clean as that model's data instead of `format/unknown`. Only a file whose one finding is
 * `format/unknown` changes: a "data file" that reads as a pickle, a zip or any other format
 * keeps its own findings, and a file no model names stays unknown.
 */
import { realpath } from "node:fs/promises";
import type { ModelDataFile } from "./context.js";
import { finding } from "./rules.js";
import type { FileResult } from "./types.js";

export interface DataReference {
  /** The model file that names the data, as the scan shows its path. */
  readonly model: string;
  readonly file: ModelDataFile;
}

/** Models named in one finding; a shared data file of many models names the first few. */
const MAX_MODELS_NAMED = 3;

const onlyUnknown = (result: FileResult) =>
  result.format === "unknown" &&
  result.findings.length > 0 &&
  result.findings.every((f) => f.rule === "format/unknown");

async function realPath(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

function describe(references: readonly DataReference[]): string {
  const named = references
    .slice(0, MAX_MODELS_NAMED)
    .map((r) => `${r.file.role} of '${r.model}'`)
    .join("; ");
  const more =
    references.length > MAX_MODELS_NAMED ? ` and ${references.length - MAX_MODELS_NAMED} more` : "";
  return `Is tensor data: ${named}${more} (read as raw bytes by that model's loader, never run)`;
}

/** The results to replace, by index: unknown files that a model of the same scan names. */
export async function modelDataResults(
  results: readonly FileResult[],
  references: readonly DataReference[],
): Promise<Map<number, FileResult>> {
  const out = new Map<number, FileResult>();
  if (references.length === 0) return out;
  const byPath = new Map<string, DataReference[]>();
  for (const reference of references) {
    const list = byPath.get(reference.file.path) ?? [];
    if (!list.some((r) => r.model === reference.model && r.file.role === reference.file.role)) {
      list.push(reference);
    }
    byPath.set(reference.file.path, list);
  }
  for (const [index, result] of results.entries()) {
    if (!onlyUnknown(result)) continue;
    const real = await realPath(result.path);
    const named = real === undefined ? undefined : byPath.get(real);
    if (named === undefined) continue;
    const note = finding("format/model-data", describe(named), {});
    out.set(index, {
      ...result,
      format: named[0]?.file.kind ?? "model-data",
      verdict: note.verdict,
      findings: [note],
    });
  }
  return out;
}
