/**
 * ONNX models: the protobuf is walked without reading tensor data. External data locations that
 * leave the model's folder are dangerous (loading reads that file); operators from custom domains
 * need a native operator library and are suspicious.
 */
import type { ByteSource } from "../formats/byte-source.js";
import { FormatError } from "../formats/format-error.js";
import { type OnnxModel, readOnnxModel, sniffOnnx } from "../formats/onnx/index.js";
import { at, type ScanContext } from "./context.js";
import { checkExternalData, lexicalEscape } from "./onnx-external-data.js";
import { finding } from "./rules.js";

/** Domains whose operators ship with every ONNX runtime (docs/rules.md `onnx/custom-domain`). */
const STANDARD_DOMAINS = new Set([
  "",
  "ai.onnx",
  "ai.onnx.ml",
  "ai.onnx.training",
  "ai.onnx.preview.training",
]);
const EXTERNAL_REFERENCE = "CVE-2024-27318";
/** Operators named per custom domain in one finding. */
const MAX_OPS_NAMED = 8;

export function isOnnx(head: Uint8Array, size: number): boolean {
  return sniffOnnx(head, size);
}

/**
 * `modelPath` is the model's file on disk, when it is one (not a member of an archive): external
 * data is then resolved from its folder with links followed. Without it, locations are checked
 * by their text only.
 */
export async function scanOnnx(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
  modelPath?: string,
): Promise<{ format: string }> {
  let model: OnnxModel;
  try {
    model = await readOnnxModel(source);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    ctx.collector.add(
      finding(
        "onnx/malformed",
        `Cannot read ONNX model: ${error.message}`,
        at(member, error.offset),
      ),
    );
    return { format: "onnx" };
  }
  await reportExternalData(model, member, ctx, member === undefined ? modelPath : undefined);
  reportCustomDomains(model, member, ctx);
  return { format: "onnx" };
}

async function reportExternalData(
  model: OnnxModel,
  member: string | undefined,
  ctx: ScanContext,
  modelPath: string | undefined,
): Promise<void> {
  for (const data of model.externalData) {
    const where = at(member, data.offset);
    if (data.location === undefined) {
      ctx.collector.add(
        finding(
          "onnx/malformed",
          `Has tensor '${data.tensor}' stored externally with no location`,
          where,
        ),
      );
      continue;
    }
    const named = `Has tensor '${data.tensor}' with external data at '${data.location}'`;
    if (modelPath === undefined) {
      const why = lexicalEscape(data.location);
      if (why !== undefined) {
        ctx.collector.add(
          finding("onnx/external-data-path", `${named}, which ${why}`, where, {
            reference: EXTERNAL_REFERENCE,
          }),
        );
      }
      continue;
    }
    const verdict = await checkExternalData(modelPath, data.location);
    if (verdict.kind === "inside") {
      ctx.dataFiles?.push({
        path: verdict.real,
        kind: "onnx-external-data",
        role: `external data of tensor '${data.tensor}'`,
      });
    } else if (verdict.kind === "escapes") {
      ctx.collector.add(
        finding("onnx/external-data-path", `${named}, which ${verdict.why}`, where, {
          reference: EXTERNAL_REFERENCE,
        }),
      );
    } else if (verdict.kind === "missing") {
      // Loading fails before anything is read: worth saying, not a danger.
      ctx.collector.add(
        finding("onnx/malformed", `${named}, which does not exist ('${verdict.resolved}')`, where, {
          severity: "info",
          verdict: "clean",
        }),
      );
    }
  }
}

function reportCustomDomains(model: OnnxModel, member: string | undefined, ctx: ScanContext): void {
  const local = new Set(model.functions.map((f) => `${f.domain}\u0000${f.opType}`));
  const localDomains = new Set(model.functions.map((f) => f.domain));
  const custom = new Map<string, string[]>();
  for (const node of model.nodes) {
    if (STANDARD_DOMAINS.has(node.domain) || local.has(`${node.domain}\u0000${node.opType}`))
      continue;
    const ops = custom.get(node.domain) ?? [];
    ops.push(node.opType);
    custom.set(node.domain, ops);
  }
  for (const domain of model.opsetDomains) {
    if (!STANDARD_DOMAINS.has(domain) && !localDomains.has(domain) && !custom.has(domain)) {
      custom.set(domain, []);
    }
  }
  for (const [domain, ops] of custom) {
    const shown = ops
      .slice(0, MAX_OPS_NAMED)
      .map((op) => `'${op}'`)
      .join(", ");
    const more = ops.length > MAX_OPS_NAMED ? ` and ${ops.length - MAX_OPS_NAMED} more` : "";
    const what = ops.length === 0 ? "imports the opset" : `uses operators ${shown}${more}`;
    ctx.collector.add(
      finding(
        "onnx/custom-domain",
        `Has a custom operator domain '${domain}' (${what}): running it loads a native operator library`,
        at(member),
      ),
    );
  }
}
