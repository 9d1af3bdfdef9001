/**
 * numpy `.npy` files: the header is parsed without evaluating it; object arrays are followed by
 * a pickle (which `numpy.load(allow_pickle=True)` runs), scanned like any pickle; other arrays
 * are data whose size must match the header, so nothing can hide after them.
 */
import type { ByteSource } from "../formats/byte-source.js";
import { FormatError } from "../formats/format-error.js";
import { npyDataSize, readNpyHeader } from "../formats/numpy/index.js";
import { at, type ScanContext } from "./context.js";
import { finding } from "./rules.js";
import { runsAsPickle, scanPickleBytes } from "./scan-pickle.js";

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export function isNpy(head: Uint8Array): boolean {
  return NPY_MAGIC.every((b, i) => head[i] === b);
}

export async function scanNpy(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
): Promise<{ format: string }> {
  let header: Awaited<ReturnType<typeof readNpyHeader>>;
  try {
    header = await readNpyHeader(source);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    ctx.collector.add(
      finding("pickle/unreadable", `Cannot read npy header: ${error.message}`, at(member)),
    );
    return { format: "numpy-npy" };
  }
  const dataBytes = source.size - header.dataOffset;
  if (header.hasObject) {
    ctx.collector.add(
      finding(
        "numpy/object-array",
        "Holds an object array: numpy.load(allow_pickle=True) unpickles it; the pickle is scanned",
        at(member, header.dataOffset),
      ),
    );
    if (dataBytes > ctx.limits.maxReadBytes) {
      ctx.collector.add(
        finding("scan/limit-exceeded", "Cannot read object array: too large", at(member)),
      );
      return { format: "numpy-npy" };
    }
    await scanPickleBytes(await source.read(header.dataOffset, dataBytes), member, ctx);
    return { format: "numpy-npy" };
  }
  const expected = npyDataSize(header);
  if (expected === null) {
    ctx.collector.add(
      finding("pickle/unreadable", "Cannot size npy data: its dtype has no item size", at(member)),
    );
    return { format: "numpy-npy" };
  }
  if (expected !== dataBytes) {
    ctx.collector.add(
      finding(
        "numpy/size-mismatch",
        `Has ${dataBytes} data bytes where the header describes ${expected}`,
        at(member, header.dataOffset),
      ),
    );
    const extra = dataBytes - expected;
    if (extra > 0 && extra <= ctx.limits.maxReadBytes) {
      const tail = await source.read(header.dataOffset + expected, extra);
      if (runsAsPickle(tail))
        await scanPickleBytes(tail, `${member ?? ""}@${header.dataOffset + expected}`, ctx);
    }
  }
  return { format: "numpy-npy" };
}
