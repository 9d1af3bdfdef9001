import { MODEL_FIELDS } from "./onnx-model.js";

/**
 * Whether the first bytes of an input read as an ONNX ModelProto. Every ONNX writer serialises
 * fields in number order (protobuf's C++ and upb serialisers do), so a model starts with
 * `ir_version` (field 1, a varint, a plausible value), then only ModelProto fields with their
 * wire types in non-decreasing order, the graph (7) before any later field, short strings wholly
 * inside the head, and a graph that starts with a GraphProto field. The full parse decides the
 * rest; this only keeps other binaries out.
 */
const MAX_IR_VERSION = 64n;
const IR_VERSION_TAG = 0x08;
const GRAPH_FIELD = 7;
const DOC_STRING_FIELD = 6;
/** GraphProto fields, all length-delimited. */
const GRAPH_FIELDS = new Set([1, 2, 5, 10, 11, 12, 13, 14, 15, 16]);
const LEN = 2;
const MAX_VARINT_BYTES = 10;

function varintAt(bytes: Uint8Array, start: number): [bigint, number] | undefined {
  let result = 0n;
  for (let i = 0; i < MAX_VARINT_BYTES; i += 1) {
    const byte = bytes[start + i];
    if (byte === undefined) return undefined;
    result |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return [result, start + i + 1];
  }
  return undefined;
}

/** The graph's first field, when the head holds it: a GraphProto field that fits the graph. */
function graphStarts(head: Uint8Array, start: number, length: number): boolean {
  if (length === 0) return true;
  const tag = varintAt(head, start);
  if (tag === undefined) return start + MAX_VARINT_BYTES > head.length;
  const [value, next] = tag;
  if (!GRAPH_FIELDS.has(Number(value >> 3n)) || Number(value & 7n) !== LEN) return false;
  const inner = varintAt(head, next);
  if (inner === undefined) return next + MAX_VARINT_BYTES > head.length;
  return inner[0] <= BigInt(start + length - inner[1]);
}

export function sniffOnnx(head: Uint8Array, size: number): boolean {
  if (head[0] !== IR_VERSION_TAG) return false;
  const more = head.length < size;
  let pos = 0;
  let last = 0;
  let sawGraph = false;
  while (pos < head.length) {
    const tag = varintAt(head, pos);
    if (tag === undefined) return more && sawGraph;
    const field = Number(tag[0] >> 3n);
    const wire = Number(tag[0] & 7n);
    if (MODEL_FIELDS[field] !== wire || field < last) return false;
    if (field > GRAPH_FIELD && !sawGraph) return false;
    const value = varintAt(head, tag[1]);
    if (value === undefined) return more && sawGraph;
    if (last === 0 && (field !== 1 || value[0] < 1n || value[0] > MAX_IR_VERSION)) return false;
    last = field;
    pos = value[1];
    if (wire !== LEN) continue;
    // A graph that overruns the input is still ONNX, a truncated one: the full parse says so.
    if (field !== GRAPH_FIELD && value[0] > BigInt(size - pos)) return false;
    if (value[0] > BigInt(Number.MAX_SAFE_INTEGER)) return false;
    const length = Number(value[0]);
    if (field === GRAPH_FIELD) {
      if (!graphStarts(head, pos, length)) return false;
      sawGraph = true;
    }
    if (pos + length > head.length && field !== GRAPH_FIELD && field !== DOC_STRING_FIELD) {
      return false;
    }
    pos += length;
  }
  return sawGraph || (pos > head.length && last === DOC_STRING_FIELD);
}
