/**
 * The `storages` and `tensors` members of a legacy tar checkpoint (`torch/serialization.py`
 * `_legacy_load`, tar branch): a pickled count, then per item a pickle followed by raw bytes.
 * storages: (key, location, storage_type) then an 8-byte element count and the elements.
 * tensors: (key, storage_id, original_tensor_type) then ndim (int32), ndim sizes and ndim
 * strides (int64) and a storage offset (int64).
 */
import {
  asSafeInt,
  asSequence,
  type PickleStream,
  readPickleStreams,
} from "../formats/pickle/index.js";
import { at, type ScanContext } from "./context.js";
import { reportPickleStreams } from "./pickle-findings.js";
import { finding } from "./rules.js";
import { elementSizeOf } from "./storage-refs.js";

const COUNT_BYTES = 8;
const NDIM_BYTES = 4;

export async function walkLegacyTarMember(
  kind: "storages" | "tensors",
  bytes: Uint8Array,
  member: string,
  ctx: ScanContext,
): Promise<void> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const streams: PickleStream[] = [];
  const fail = (why: string, offset: number) =>
    ctx.collector.add(
      finding("torch/legacy-layout", `Cannot walk '${kind}': ${why}`, at(member, offset)),
    );
  const next = (pos: number): PickleStream | undefined => {
    const [stream] = readPickleStreams(bytes, pos, {
      maxStreams: 1,
      limits: { maxOpcodes: ctx.limits.maxOpcodes },
    });
    if (stream === undefined) return undefined;
    streams.push(stream);
    return stream.error === undefined ? stream : undefined;
  };
  try {
    const head = next(0);
    const count = asSafeInt(head?.result);
    if (head === undefined || count === undefined || count < 0) {
      fail("no item count", 0);
      return;
    }
    let pos = head.end;
    for (let i = 0; i < count; i++) {
      const item = next(pos);
      if (item === undefined) {
        fail(`item ${i} is not a pickle`, pos);
        return;
      }
      pos = item.end;
      if (kind === "storages") {
        const size = elementSizeOf(asSequence(item.result)?.[2]);
        if (size === undefined || pos + COUNT_BYTES > bytes.length) {
          fail(`storage ${i} has no known type`, pos);
          return;
        }
        const n = view.getBigUint64(pos, true) * BigInt(size);
        if (n > BigInt(bytes.length - pos - COUNT_BYTES)) {
          fail(`storage ${i} is truncated`, pos);
          return;
        }
        pos += COUNT_BYTES + Number(n);
      } else {
        if (pos + NDIM_BYTES > bytes.length) {
          fail(`tensor ${i} is truncated`, pos);
          return;
        }
        const ndim = view.getInt32(pos, true);
        // ndim, 4 bytes legacy padding, ndim sizes, ndim strides, storage offset.
        const need = NDIM_BYTES * 2 + (ndim * 2 + 1) * 8;
        if (ndim < 0 || pos + need > bytes.length) {
          fail(`tensor ${i} is truncated`, pos);
          return;
        }
        pos += need;
      }
    }
    if (kind === "storages") {
      // A last pickle lists storage views (target, root, offset, numel).
      const views = next(pos);
      if (views === undefined) {
        fail("no storage view list", pos);
        return;
      }
      pos = views.end;
    }
    if (pos !== bytes.length) fail(`${bytes.length - pos} bytes after the last item`, pos);
  } finally {
    for (const stream of streams) {
      if (stream.error) {
        ctx.collector.add(
          finding(
            "pickle/unreadable",
            `Cannot read pickle: ${stream.error.message}`,
            at(member, stream.error.offset),
          ),
        );
      }
    }
    await reportPickleStreams(streams, member, ctx);
  }
}
