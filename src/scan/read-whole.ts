/**
 * Inputs a parser needs whole in memory (a pickle, a protobuf) are read only within
 * `maxReadBytes`; a larger one is reported as `scan/limit-exceeded` and left unread.
 */
import type { ByteSource } from "../formats/byte-source.js";
import { at, type ScanContext } from "./context.js";
import { finding } from "./rules.js";

export async function readWhole(
  source: ByteSource,
  what: string,
  member: string | undefined,
  ctx: ScanContext,
): Promise<Uint8Array | undefined> {
  if (source.size > ctx.limits.maxReadBytes) {
    ctx.collector.add(
      finding(
        "scan/limit-exceeded",
        `Cannot read ${source.size} bytes of ${what}: over the ${ctx.limits.maxReadBytes}-byte limit`,
        at(member),
      ),
    );
    return undefined;
  }
  return source.read(0, source.size);
}
