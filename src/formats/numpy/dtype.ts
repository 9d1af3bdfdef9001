import { FormatError } from "../format-error.js";
import type { PyValue } from "./py-literal.js";

/**
 * A .npy "descr" interpreted the way numpy's `descr_to_dtype` (numpy/lib/format.py) does: a dtype
 * string, a list of fields, or a (dtype, shape) subarray tuple. Only the dtype strings numpy writes
 * (`dtype.str`, such as "<f4", "|O", "<M8[ns]") are understood; any other spelling numpy accepts
 * ("float32", "object") is UNSUPPORTED, because we could not tell whether it holds objects.
 */
export type NpyDtype =
  | {
      readonly kind: "scalar";
      readonly descr: string;
      /** numpy kind character: b i u f c O S a U V M m ?. */
      readonly typeChar: string;
      /** Bytes per element; null for objects (pickled) and undefined sizes. */
      readonly itemSize: number | null;
    }
  | { readonly kind: "structured"; readonly fields: readonly NpyField[] }
  | { readonly kind: "subarray"; readonly base: NpyDtype; readonly shape: readonly number[] };

export interface NpyField {
  readonly name: string;
  readonly title: string | null;
  readonly dtype: NpyDtype;
}

/** byte order, kind, size, and a datetime unit such as [ns] or [25s]. */
const DTYPE_STRING = /^([<>|=])?([biufcOSaUVMm?])(\d{0,12})(\[\d*[a-zA-Z]+\])?$/;
/** 'O' elements are PyObject pointers; the data section is a pickle, not fixed-size items. */
const OBJECT = "O";
/** Unicode 'U' counts UCS-4 characters. */
const UCS4_BYTES = 4;
/** Datetime and timedelta are int64 (NEP 7). */
const DATETIME_BYTES = 8;

const malformed = (state: string): FormatError =>
  new FormatError("MALFORMED", `Cannot read dtype: ${state}`);

function scalar(descr: string): NpyDtype {
  const match = DTYPE_STRING.exec(descr);
  if (match === null) {
    throw new FormatError("UNSUPPORTED", `Cannot read dtype "${descr}": not a numpy dtype string`);
  }
  const typeChar = match[2]!;
  const digits = match[3]!;
  const unit = match[4];
  if (unit !== undefined && typeChar !== "M" && typeChar !== "m")
    throw malformed(`unit on "${descr}"`);
  let itemSize: number | null = digits === "" ? null : Number(digits);
  if (typeChar === OBJECT) itemSize = null;
  else if (typeChar === "?") itemSize = digits === "" ? 1 : null;
  else if (typeChar === "U" && itemSize !== null) itemSize *= UCS4_BYTES;
  else if ((typeChar === "M" || typeChar === "m") && itemSize === null) itemSize = DATETIME_BYTES;
  return { kind: "scalar", descr, typeChar, itemSize };
}

/** A shape as numpy accepts it in a subarray: an int or a tuple of ints. */
export function toShape(value: PyValue, what: string): number[] {
  const items =
    typeof value === "bigint"
      ? [value]
      : value !== null && typeof value === "object" && value.kind === "tuple"
        ? value.items
        : null;
  if (items === null) throw malformed(`${what} is not a tuple of integers`);
  return items.map((item) => {
    if (typeof item !== "bigint") throw malformed(`${what} holds a non-integer`);
    if (item < 0n) throw malformed(`${what} holds "${item}"`);
    if (item > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError("LIMIT_EXCEEDED", `Cannot read dtype: ${what} holds "${item}"`);
    }
    return Number(item);
  });
}

function field(value: PyValue, depth: number): NpyField {
  if (
    value === null ||
    typeof value !== "object" ||
    value.kind !== "tuple" ||
    value.items.length < 2 ||
    value.items.length > 3
  ) {
    throw malformed("a field is not a 2- or 3-tuple");
  }
  const [nameValue, format, shape] = value.items;
  let name: string;
  let title: string | null = null;
  if (typeof nameValue === "string") {
    name = nameValue;
  } else if (
    nameValue !== null &&
    typeof nameValue === "object" &&
    nameValue.kind === "tuple" &&
    nameValue.items.length === 2 &&
    typeof nameValue.items[0] === "string" &&
    typeof nameValue.items[1] === "string"
  ) {
    // numpy writes titled fields as ((title, name), format).
    title = nameValue.items[0];
    name = nameValue.items[1];
  } else {
    throw malformed("a field name is not a string or (title, name)");
  }
  let dtype = toDtype(format!, depth + 1);
  if (shape !== undefined)
    dtype = { kind: "subarray", base: dtype, shape: toShape(shape, "field shape") };
  return { name, title, dtype };
}

/** Interprets a parsed descr value. */
export function toDtype(value: PyValue, depth = 0): NpyDtype {
  if (typeof value === "string") return scalar(value);
  if (value === null || typeof value !== "object")
    throw malformed("descr is not a string, list or tuple");
  if (value.kind === "list")
    return { kind: "structured", fields: value.items.map((item) => field(item, depth)) };
  if (value.kind === "tuple" && value.items.length === 2) {
    return {
      kind: "subarray",
      base: toDtype(value.items[0]!, depth + 1),
      shape: toShape(value.items[1]!, "subarray shape"),
    };
  }
  throw malformed("descr is not a string, list or (dtype, shape)");
}

/** True when any element, field or nested field is an object: the data is then a pickle. */
export function dtypeHasObject(dtype: NpyDtype): boolean {
  if (dtype.kind === "scalar") return dtype.typeChar === OBJECT;
  if (dtype.kind === "subarray") return dtypeHasObject(dtype.base);
  return dtype.fields.some((f) => dtypeHasObject(f.dtype));
}

/** Bytes per element (packed, as numpy lays fields out from descr), or null if unknown. */
export function dtypeItemSize(dtype: NpyDtype): number | null {
  if (dtype.kind === "scalar") return dtype.itemSize;
  if (dtype.kind === "subarray") {
    const base = dtypeItemSize(dtype.base);
    return base === null ? null : checkedProduct([base, ...dtype.shape], "subarray size");
  }
  let total = 0;
  for (const f of dtype.fields) {
    const size = dtypeItemSize(f.dtype);
    if (size === null) return null;
    total += size;
    if (!Number.isSafeInteger(total))
      throw new FormatError("LIMIT_EXCEEDED", "Cannot size dtype: fields overflow");
  }
  return total;
}

/** Product of non-negative integers, refusing results past 2^53 instead of losing precision. */
export function checkedProduct(factors: readonly number[], what: string): number {
  if (factors.includes(0)) return 0;
  let product = 1n;
  for (const factor of factors) {
    product *= BigInt(factor);
    // Stop at the first overflow so a long shape cannot build a huge intermediate.
    if (product > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot compute ${what}: over "${Number.MAX_SAFE_INTEGER}"`,
      );
    }
  }
  return Number(product);
}
