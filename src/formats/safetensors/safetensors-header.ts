import type { ByteSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { SAFETENSORS_DTYPE_BITS } from "./dtype.js";
import { type JsonValue, parseStrictJson } from "./strict-json.js";

/**
 * The safetensors header, checked by every rule `huggingface/safetensors` enforces in
 * `SafeTensors::read_metadata` and `Metadata::validate` (`safetensors/src/tensor.rs`). Tensor
 * data is never read: its extent is computed from the header and checked against the file size.
 */
export interface SafetensorsTensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly bigint[];
  readonly begin: bigint;
  readonly end: bigint;
}

export interface SafetensorsHeader {
  /** N, the JSON header's byte length; tensor data starts at 8 + N. */
  readonly headerSize: number;
  readonly metadata: ReadonlyMap<string, string>;
  readonly tensors: readonly SafetensorsTensor[];
}

/** `MAX_HEADER_SIZE` in tensor.rs. */
export const MAX_SAFETENSORS_HEADER = 100_000_000;
const LENGTH_BYTES = 8;
const METADATA_KEY = "__metadata__";
/** Rust `usize` on the 64-bit platforms the reference runs on: products must not overflow it. */
const USIZE_MAX = (1n << 64n) - 1n;
const UTF8 = new TextDecoder("utf-8", { fatal: true });

const malformed = (state: string, offset?: number) =>
  new FormatError("MALFORMED", `Cannot read safetensors header: ${state}`, offset);

/** Header length from the first 8 bytes (little-endian u64), as a number when plausible. */
export function safetensorsHeaderLength(head: Uint8Array): bigint | undefined {
  if (head.length < LENGTH_BYTES) return undefined;
  return new DataView(head.buffer, head.byteOffset, LENGTH_BYTES).getBigUint64(0, true);
}

export async function readSafetensorsHeader(source: ByteSource): Promise<SafetensorsHeader> {
  if (source.size < LENGTH_BYTES) {
    throw new FormatError("TRUNCATED", "Cannot read safetensors header length: input too short", 0);
  }
  const n = safetensorsHeaderLength(await source.read(0, LENGTH_BYTES))!;
  if (n > BigInt(MAX_SAFETENSORS_HEADER)) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read safetensors header: length "${n}" is over ${MAX_SAFETENSORS_HEADER}`,
      0,
    );
  }
  const headerSize = Number(n);
  if (LENGTH_BYTES + headerSize > source.size) {
    throw new FormatError(
      "TRUNCATED",
      `Cannot read safetensors header: "${headerSize}" bytes run past the "${source.size}"-byte input`,
      0,
    );
  }
  let text: string;
  try {
    text = UTF8.decode(await source.read(LENGTH_BYTES, headerSize));
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw malformed("not UTF-8", LENGTH_BYTES);
  }
  // The reference declares InvalidHeaderStart for a header not starting with '{' but leaves the
  // check commented out ("Add when we move to 0.4.0"): serde_json accepts leading whitespace,
  // and anything but an object fails below.
  const root = parseStrictJson(text, "safetensors header");
  if (!(root instanceof Map)) throw malformed("not a JSON object", LENGTH_BYTES);
  let metadata: ReadonlyMap<string, string> = new Map();
  const tensors: SafetensorsTensor[] = [];
  for (const [name, value] of root) {
    if (name === METADATA_KEY) metadata = readMetadata(value);
    else tensors.push(readTensor(name, value));
  }
  checkLayout(tensors, BigInt(source.size - LENGTH_BYTES - headerSize));
  return { headerSize, metadata, tensors };
}

function readMetadata(value: JsonValue): ReadonlyMap<string, string> {
  if (value === null) return new Map(); // Option<HashMap<String, String>>: null is None.
  if (!(value instanceof Map)) throw malformed(`"${METADATA_KEY}" is not an object`);
  for (const [key, item] of value) {
    if (typeof item !== "string")
      throw malformed(`"${METADATA_KEY}" value "${key}" is not a string`);
  }
  return value as ReadonlyMap<string, string>;
}

const isU64 = (v: JsonValue | undefined): v is bigint =>
  typeof v === "bigint" && v >= 0n && v <= USIZE_MAX;

function readTensor(name: string, value: JsonValue): SafetensorsTensor {
  if (!(value instanceof Map)) throw malformed(`tensor "${name}" is not an object`);
  const dtype = value.get("dtype");
  const shape = value.get("shape");
  const offsets = value.get("data_offsets");
  if (typeof dtype !== "string" || !SAFETENSORS_DTYPE_BITS.has(dtype)) {
    throw malformed(`tensor "${name}" has unknown dtype "${String(dtype)}"`);
  }
  if (!Array.isArray(shape) || !shape.every(isU64)) {
    throw malformed(`tensor "${name}" shape is not a list of unsigned integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isU64)) {
    throw malformed(`tensor "${name}" data_offsets is not [begin, end]`);
  }
  const [begin, end] = offsets as readonly bigint[];
  return { name, dtype, shape: shape as bigint[], begin: begin!, end: end! };
}

/** Byte size of a tensor as `TensorInfo` validation computes it (checked_mul, whole bytes). */
export function tensorByteSize(
  tensor: Pick<SafetensorsTensor, "name" | "dtype" | "shape">,
): bigint {
  let bits = BigInt(SAFETENSORS_DTYPE_BITS.get(tensor.dtype) ?? 0);
  for (const dim of tensor.shape) {
    bits *= dim;
    if (bits > USIZE_MAX) throw malformed(`tensor "${tensor.name}" size overflows`);
  }
  if (bits % 8n !== 0n) throw malformed(`tensor "${tensor.name}" is not a whole number of bytes`);
  return bits / 8n;
}

/** Sorted by offsets, each tensor starts where the previous ended, from 0 to the file's end. */
function checkLayout(tensors: SafetensorsTensor[], dataBytes: bigint): void {
  const sorted = [...tensors].sort((a, b) =>
    a.begin !== b.begin ? (a.begin < b.begin ? -1 : 1) : a.end < b.end ? -1 : a.end > b.end ? 1 : 0,
  );
  let expected = 0n;
  for (const tensor of sorted) {
    if (tensor.begin !== expected || tensor.end < tensor.begin) {
      throw malformed(
        `tensor "${tensor.name}" data_offsets [${tensor.begin}, ${tensor.end}] do not start at ${expected}`,
      );
    }
    const size = tensorByteSize(tensor);
    if (tensor.end - tensor.begin !== size) {
      throw malformed(
        `tensor "${tensor.name}" spans ${tensor.end - tensor.begin} bytes where ${tensor.dtype} ${JSON.stringify(tensor.shape.map(String))} needs ${size}`,
      );
    }
    expected = tensor.end;
  }
  if (expected !== dataBytes) {
    throw malformed(`tensors end at ${expected} but the data section has ${dataBytes} bytes`);
  }
}
