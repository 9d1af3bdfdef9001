/**
 * GGUF files (llama.cpp): the header, metadata and tensor infos are read within bounds, tensor
 * extents checked against the file, and Jinja chat templates checked for sandbox escapes.
 * Tensor data is never read.
 */
import type { ByteSource } from "../formats/byte-source.js";
import { FormatError } from "../formats/format-error.js";
import { GGUF_MAGIC, type GgufHeader, readGgufHeader } from "../formats/gguf/index.js";
import { at, type ScanContext } from "./context.js";
import { templateGadgets } from "./gguf-template-check.js";
import { finding } from "./rules.js";

const TEMPLATE_KEY = "tokenizer.chat_template";
/** Magic, version, tensor count and key/value count. */
const FIXED_HEADER_BYTES = 24;

export function isGguf(head: Uint8Array, size: number): boolean {
  return size >= FIXED_HEADER_BYTES && GGUF_MAGIC.every((b, i) => head[i] === b);
}

export async function scanGguf(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
): Promise<{ format: string }> {
  let header: GgufHeader;
  try {
    header = await readGgufHeader(source);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    ctx.collector.add(
      finding(
        "gguf/malformed",
        `Cannot read GGUF file: ${error.message}`,
        at(member, error.offset),
      ),
    );
    return { format: "gguf" };
  }
  for (const [key, value] of header.metadata) {
    if (key !== TEMPLATE_KEY && !key.startsWith(`${TEMPLATE_KEY}.`)) continue;
    if (typeof value !== "string") continue;
    const gadgets = templateGadgets(value);
    if (gadgets.length === 0) continue;
    ctx.collector.add(
      finding(
        "gguf/template-injection",
        `Has a chat template '${key}' that reaches Python internals: ${gadgets.join(", ")}`,
        at(member),
        { reference: "CVE-2024-34359" },
      ),
    );
  }
  return { format: `gguf-v${header.version}` };
}
