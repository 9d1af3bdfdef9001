import { FormatError } from "../format-error.js";
import type { GgufCursor } from "./gguf-cursor.js";

/**
 * GGUF metadata values (`gguf_metadata_value_type` in ggml's `docs/gguf.md`). Strings are kept;
 * numeric arrays are skipped, not materialised (token score tables hold 100k+ floats).
 */
export type GgufValue =
  | number
  | bigint
  | boolean
  | string
  | {
      readonly kind: "array";
      readonly type: number;
      readonly length: number;
      readonly items: readonly GgufValue[];
    };

export interface GgufValueLimits {
  /** Longest string (a key, a value or a tensor name). */
  readonly maxStringBytes: number;
  /** Elements in one array. */
  readonly maxArrayLength: number;
  /** Arrays inside arrays. */
  readonly maxDepth: number;
}

const STRING = 8;
const ARRAY = 9;
/** Fixed sizes of the scalar types, by type id. */
const SCALAR_BYTES: ReadonlyMap<number, number> = new Map([
  [0, 1],
  [1, 1],
  [2, 2],
  [3, 2],
  [4, 4],
  [5, 4],
  [6, 4],
  [7, 1],
  [10, 8],
  [11, 8],
  [12, 8],
]);
const UTF8 = new TextDecoder("utf-8", { fatal: true });

export async function readGgufString(
  cursor: GgufCursor,
  limits: GgufValueLimits,
  what: string,
): Promise<string> {
  const at = cursor.position;
  const length = await cursor.u64(`${what} length`);
  if (length > BigInt(limits.maxStringBytes)) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read GGUF ${what}: length "${length}" is over ${limits.maxStringBytes}`,
      at,
    );
  }
  const bytes = await cursor.bytes(Number(length), what);
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new FormatError("MALFORMED", `Cannot read GGUF ${what}: not UTF-8`, at);
  }
}

export async function readGgufValue(
  cursor: GgufCursor,
  type: number,
  limits: GgufValueLimits,
  depth = 0,
): Promise<GgufValue> {
  if (type === STRING) return readGgufString(cursor, limits, "string value");
  if (type === ARRAY) {
    const at = cursor.position;
    if (depth >= limits.maxDepth) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read GGUF array: nested over ${limits.maxDepth}`,
        at,
      );
    }
    const itemType = await cursor.u32("array type");
    const count = await cursor.u64("array length");
    if (count > BigInt(limits.maxArrayLength)) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read GGUF array: length "${count}" is over ${limits.maxArrayLength}`,
        at,
      );
    }
    const length = Number(count);
    const scalar = SCALAR_BYTES.get(itemType);
    if (scalar !== undefined) {
      await cursor.bytes(scalar * length, "array items");
      return { kind: "array", type: itemType, length, items: [] };
    }
    if (itemType !== STRING && itemType !== ARRAY) throw unknownType(itemType, at);
    const items: GgufValue[] = [];
    for (let i = 0; i < length; i += 1)
      items.push(await readGgufValue(cursor, itemType, limits, depth + 1));
    return { kind: "array", type: itemType, length, items };
  }
  const size = SCALAR_BYTES.get(type);
  if (size === undefined) throw unknownType(type, cursor.position);
  const view = await cursor.view(size, "value");
  switch (type) {
    case 0:
      return view.getUint8(0);
    case 1:
      return view.getInt8(0);
    case 2:
      return view.getUint16(0, true);
    case 3:
      return view.getInt16(0, true);
    case 4:
      return view.getUint32(0, true);
    case 5:
      return view.getInt32(0, true);
    case 6:
      return view.getFloat32(0, true);
    case 7: {
      const b = view.getUint8(0);
      if (b > 1)
        throw new FormatError(
          "MALFORMED",
          `Cannot read GGUF bool: byte "${b}"`,
          cursor.position - 1,
        );
      return b === 1;
    }
    case 10:
      return view.getBigUint64(0, true);
    case 11:
      return view.getBigInt64(0, true);
    default:
      return view.getFloat64(0, true);
  }
}

const unknownType = (type: number, at: number) =>
  new FormatError("MALFORMED", `Cannot read GGUF value: unknown type "${type}"`, at);
