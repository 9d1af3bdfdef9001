/**
 * safetensors files: the header is checked by every rule of the reference loader
 * (`huggingface/safetensors`); tensor data is never read, only its extent is checked. A valid
 * file holds nothing that runs on load, so it is clean; anything the reference would refuse is
 * unscannable, because a lenient loader might read it differently.
 */
import type { ByteSource } from "../formats/byte-source.js";
import { FormatError } from "../formats/format-error.js";
import {
  MAX_SAFETENSORS_HEADER,
  readSafetensorsHeader,
  safetensorsHeaderLength,
} from "../formats/safetensors/index.js";
import { at, type ScanContext } from "./context.js";
import { finding } from "./rules.js";

const LENGTH_BYTES = 8;
const OPEN_BRACE = 0x7b;

/**
 * A plausible header length, then '{' after any JSON whitespace. The reference loader does not
 * insist on '{' (its InvalidHeaderStart check is commented out), but a header that is not a JSON
 * object fails it anyway; requiring one keeps random binaries whose first eight bytes happen to
 * be a small number out of this scanner (they stay `format/unknown`, so nothing is lost).
 */
export function isSafetensors(head: Uint8Array, size: number): boolean {
  const n = safetensorsHeaderLength(head);
  if (n === undefined || n < 2n || n > BigInt(MAX_SAFETENSORS_HEADER)) return false;
  if (Number(n) + LENGTH_BYTES > size) return false;
  const end = Math.min(head.length, LENGTH_BYTES + Number(n));
  for (let i = LENGTH_BYTES; i < end; i += 1) {
    const b = head[i];
    if (b === OPEN_BRACE) return true;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return false;
}

export async function scanSafetensors(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
): Promise<{ format: string }> {
  try {
    await readSafetensorsHeader(source);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    ctx.collector.add(
      finding(
        "safetensors/malformed",
        `Cannot load as safetensors: ${error.message}`,
        at(member, error.offset),
        { reference: "huggingface/safetensors tensor.rs" },
      ),
    );
  }
  return { format: "safetensors" };
}
