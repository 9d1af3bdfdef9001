/**
 * The raw storage area of a legacy (non-zip) PyTorch checkpoint: after the fifth pickle (the
 * list of storage keys), each storage is an 8-byte little-endian element count followed by its
 * bytes (`_legacy_save`, `THPStorage_writeFileRaw`). Walking it accounts for every byte, so
 * nothing can hide after the storages.
 */
import type { PickleStream, PickleValue } from "../formats/pickle/index.js";
import { asSequence, asString } from "../formats/pickle/index.js";
import { at, type ScanContext } from "./context.js";
import { finding } from "./rules.js";
import { storageRefs } from "./storage-refs.js";

const COUNT_BYTES = 8;

export function reportLegacyStorages(
  bytes: Uint8Array,
  keysStream: PickleStream,
  pids: readonly PickleValue[],
  member: string | undefined,
  ctx: ScanContext,
): void {
  const fail = (why: string, offset: number) =>
    ctx.collector.add(
      finding("torch/legacy-layout", `Cannot walk legacy storages: ${why}`, at(member, offset)),
    );
  const keys = asSequence(keysStream.result);
  if (keys === undefined) {
    fail("the storage key list is not a literal list", keysStream.start);
    return;
  }
  const refs = storageRefs(pids);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = keysStream.end;
  for (const item of keys) {
    const key = asString(item);
    const ref = key === undefined ? undefined : refs.get(key);
    if (ref?.elementSize === undefined) {
      fail(`storage '${key}' has no known type`, pos);
      return;
    }
    if (pos + COUNT_BYTES > bytes.length) {
      fail(`storage '${key}' is truncated`, pos);
      return;
    }
    const count = view.getBigUint64(pos, true);
    const size = count * BigInt(ref.elementSize);
    if (size > BigInt(bytes.length - pos - COUNT_BYTES)) {
      fail(`storage '${key}' is truncated`, pos);
      return;
    }
    if (count !== BigInt(ref.numel)) {
      ctx.collector.add(
        finding(
          "torch/storage-size-mismatch",
          `Storage '${key}' holds ${count} elements, its reference says ${ref.numel}`,
          at(member, pos),
        ),
      );
    }
    pos += COUNT_BYTES + Number(size);
  }
  if (pos < bytes.length) {
    ctx.collector.add(
      finding(
        "pickle/trailing-data",
        `Has ${bytes.length - pos} bytes after the last legacy storage`,
        at(member, pos),
        { reference: "technique 20 (trailing data)" },
      ),
    );
  }
}
