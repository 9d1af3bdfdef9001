import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { GGML_TYPE_SIZES } from "./ggml-types.js";
import { GgufCursor } from "./gguf-cursor.js";
import {
  type GgufValue,
  type GgufValueLimits,
  readGgufString,
  readGgufValue,
} from "./gguf-value.js";

/**
 * The GGUF header, metadata and tensor infos (ggml `docs/gguf.md`, versions 2 and 3: counts are
 * u64). Only that region is read, within `maxMetadataBytes`; tensor data is checked by extent
 * against the file size, never read.
 */
export interface GgufTensorInfo {
  readonly name: string;
  readonly dims: readonly bigint[];
  readonly type: number;
  /** Offset from the start of the data section; a multiple of the alignment. */
  readonly offset: bigint;
}

export interface GgufHeader {
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufValue>;
  readonly tensors: readonly GgufTensorInfo[];
  /** Where the aligned data section starts. */
  readonly dataOffset: number;
  readonly alignment: number;
}

export interface GgufLimits extends GgufValueLimits {
  readonly maxTensors: number;
  readonly maxKeyValues: number;
  readonly maxMetadataBytes: number;
}

export const DEFAULT_GGUF_LIMITS: GgufLimits = Object.freeze({
  maxTensors: 1_000_000,
  maxKeyValues: 100_000,
  maxMetadataBytes: 256 * 1024 * 1024,
  maxStringBytes: 64 * 1024 * 1024,
  maxArrayLength: 16 * 1024 * 1024,
  maxDepth: 8,
});

/** "GGUF" read as a little-endian u32. */
export const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46];
/** `GGML_MAX_DIMS`: llama.cpp's gguf reader refuses a tensor info with more. */
const MAX_DIMS = 4;
const DEFAULT_ALIGNMENT = 32;
const ALIGNMENT_KEY = "general.alignment";
const U32_TYPE = 4;

export async function readGgufHeader(
  source: ByteSource,
  limits: GgufLimits = DEFAULT_GGUF_LIMITS,
): Promise<GgufHeader> {
  const cursor = new GgufCursor(source, limits.maxMetadataBytes);
  const magic = await cursor.bytes(4, "magic");
  if (!GGUF_MAGIC.every((b, i) => magic[i] === b)) {
    throw new FormatError("MALFORMED", "Cannot read GGUF header: bad magic", 0);
  }
  const version = await cursor.u32("version");
  if (version !== 2 && version !== 3) {
    throw new FormatError("UNSUPPORTED", `Cannot read GGUF header: version "${version}"`, 4);
  }
  const tensorCount = await cursor.u64("tensor count");
  const kvCount = await cursor.u64("key/value count");
  if (tensorCount > BigInt(limits.maxTensors))
    throw over("tensor count", tensorCount, limits.maxTensors, 8);
  if (kvCount > BigInt(limits.maxKeyValues))
    throw over("key/value count", kvCount, limits.maxKeyValues, 16);

  const metadata = new Map<string, GgufValue>();
  for (let i = 0n; i < kvCount; i += 1n) {
    const at = cursor.position;
    const key = await readGgufString(cursor, limits, "key");
    const type = await cursor.u32("value type");
    const value = await readGgufValue(cursor, type, limits);
    // llama.cpp (gguf_init_from_file) refuses duplicate keys.
    if (metadata.has(key))
      throw new FormatError("MALFORMED", `Cannot read GGUF metadata: duplicate key "${key}"`, at);
    if (key === ALIGNMENT_KEY && type !== U32_TYPE) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read GGUF metadata: "${ALIGNMENT_KEY}" is not a u32`,
        at,
      );
    }
    metadata.set(key, value);
  }
  const alignment = (metadata.get(ALIGNMENT_KEY) as number | undefined) ?? DEFAULT_ALIGNMENT;
  if (alignment === 0 || (alignment & (alignment - 1)) !== 0) {
    throw new FormatError(
      "MALFORMED",
      `Cannot read GGUF metadata: alignment "${alignment}" is not a power of two`,
    );
  }

  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0n; i < tensorCount; i += 1n) {
    const at = cursor.position;
    const name = await readGgufString(cursor, limits, "tensor name");
    const nDims = await cursor.u32("tensor dims");
    if (nDims > MAX_DIMS) {
      throw new FormatError("MALFORMED", `Cannot read GGUF tensor "${name}": ${nDims} dims`, at);
    }
    const dims: bigint[] = [];
    for (let d = 0; d < nDims; d += 1) dims.push(await cursor.u64("tensor dim"));
    const type = await cursor.u32("tensor type");
    const offset = await cursor.u64("tensor offset");
    if (names.has(name))
      throw new FormatError("MALFORMED", `Cannot read GGUF tensor "${name}": duplicate name`, at);
    names.add(name);
    tensors.push({ name, dims, type, offset });
  }
  const dataOffset = Math.ceil(cursor.position / alignment) * alignment;
  checkTensorExtents(tensors, alignment, BigInt(source.size) - BigInt(dataOffset));
  return { version, metadata, tensors, dataOffset, alignment };
}

/** Bytes a tensor's data takes: elements / block size × block bytes (ggml_nbytes). */
export function ggmlTensorBytes(tensor: Pick<GgufTensorInfo, "name" | "dims" | "type">): bigint {
  const sizes = GGML_TYPE_SIZES.get(tensor.type);
  if (sizes === undefined) {
    throw new FormatError(
      "UNSUPPORTED",
      `Cannot size GGUF tensor "${tensor.name}": ggml type "${tensor.type}"`,
    );
  }
  const [block, bytes] = sizes;
  let elements = 1n;
  for (const dim of tensor.dims) {
    elements *= dim;
    if (elements > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot size GGUF tensor "${tensor.name}": too many elements`,
      );
    }
  }
  // ggml requires the first dimension to be a whole number of blocks.
  if ((tensor.dims[0] ?? 1n) % BigInt(block) !== 0n) {
    throw new FormatError(
      "MALFORMED",
      `Cannot size GGUF tensor "${tensor.name}": row not a multiple of ${block}`,
    );
  }
  return (elements / BigInt(block)) * BigInt(bytes);
}

function checkTensorExtents(
  tensors: readonly GgufTensorInfo[],
  alignment: number,
  dataBytes: bigint,
): void {
  for (const tensor of tensors) {
    if (tensor.offset % BigInt(alignment) !== 0n) {
      throw new FormatError(
        "MALFORMED",
        `Cannot read GGUF tensor "${tensor.name}": offset "${tensor.offset}" not aligned to ${alignment}`,
      );
    }
    const end = tensor.offset + ggmlTensorBytes(tensor);
    if (end > dataBytes) {
      throw new FormatError(
        "TRUNCATED",
        `Cannot read GGUF tensor "${tensor.name}": data ends at "${end}" past the ${dataBytes}-byte data section`,
      );
    }
  }
}

const over = (what: string, value: bigint, max: number, offset: number) =>
  new FormatError(
    "LIMIT_EXCEEDED",
    `Cannot read GGUF header: ${what} "${value}" is over ${max}`,
    offset,
  );
