/**
 * joblib writes numpy arrays inline: after the BUILD of a `NumpyArrayWrapper` its unpickler
 * reads the array straight from the file (`joblib/numpy_pickle.py`, `NumpyArrayWrapper.read`):
 * for object dtypes a nested pickle, otherwise an optional 1-byte padding length, the padding,
 * then `prod(shape) * itemsize` raw bytes. A scanner that does not skip them stops parsing there,
 * and anything after the first array goes unseen (technique 25 in the research notes).
 */
import { FormatError } from "../format-error.js";
import type { StreamReader } from "./stream-reader.js";
import type { InlineArray } from "./types.js";
import {
  asSafeInt,
  asSequence,
  asString,
  dictGet,
  globalName,
  type PickleObjectValue,
} from "./values.js";

const WRAPPER_CLASSES = new Set([
  "joblib.numpy_pickle.NumpyArrayWrapper",
  "sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper",
]);

/** numpy type characters and their item sizes when the dtype string gives no size. */
const FIXED_SIZES: Readonly<Record<string, number>> = { "?": 1, b: 1, B: 1 };

/** Item size of a numpy dtype string such as 'f8', '<i4', 'U5', 'S10', 'V16'; null for objects. */
export function dtypeItemSize(descr: string): number | null | undefined {
  const match = /^[<>|=]?([a-zA-Z?])(\d*)$/.exec(descr);
  if (!match) return undefined;
  const kind = match[1] as string;
  const digits = match[2] ?? "";
  if (kind === "O") return null;
  if (digits === "") return FIXED_SIZES[kind];
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return undefined;
  // 'U<n>' is n UCS-4 characters (numpy stores 4 bytes per character).
  return kind === "U" ? n * 4 : n;
}

export interface InlineHooks {
  /** Runs a nested pickle stream at the reader's position (object arrays). */
  readonly nested: () => void;
  readonly record: (array: InlineArray) => void;
}

export function skipInlineArray(
  target: PickleObjectValue,
  reader: StreamReader,
  offset: number,
  hooks: InlineHooks,
): void {
  const cls = globalName(target.callee);
  if (cls === null || !WRAPPER_CLASSES.has(cls)) return;
  const fail = (why: string) =>
    new FormatError("MALFORMED", `Cannot read joblib inline array: ${why}`, offset);
  const state = target.state;
  const shape = asSequence(dictGet(state, "shape"));
  const dtype = dictGet(state, "dtype");
  if (shape === undefined || dtype?.kind !== "object") throw fail("shape or dtype is not literal");
  const descr = asString(asSequence(dtype.args)?.[0]);
  if (descr === undefined) throw fail("dtype is not literal");
  const itemSize = dtypeItemSize(descr);
  if (itemSize === undefined) throw fail(`dtype '${descr}' is unknown`);
  const start = reader.pos;
  if (itemSize === null) {
    hooks.nested();
    hooks.record({ offset: start, length: reader.pos - start, dtype: descr });
    return;
  }
  let count = 1n;
  for (const dim of shape) {
    const n = asSafeInt(dim);
    if (n === undefined || n < 0) throw fail("shape is not a tuple of sizes");
    count *= BigInt(n);
  }
  if (dictGet(state, "numpy_array_alignment_bytes") !== undefined) {
    reader.take(reader.u1(), "joblib array padding");
  }
  const bytes = count * BigInt(itemSize);
  if (bytes > BigInt(reader.remaining)) {
    throw new FormatError("TRUNCATED", "Cannot skip joblib inline array: past the end", offset);
  }
  reader.take(Number(bytes), "joblib inline array");
  hooks.record({ offset: start, length: reader.pos - start, dtype: descr });
}
