/**
 * The one number of a scalar TensorProto (tensorboard/compat/proto/tensor.proto). TF's C++
 * writer stores it in raw little-endian `tensor_content`; Python writers in the typed repeated
 * field (`float_val`, `double_val`, …), packed or not. Both are read.
 */
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { eachField, expectWire, malformed, safeInt64, WireType } from "./tb-wire.js";

/** tensorflow/core/framework/types.proto DataType values. */
const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;
const DT_INT64 = 9;
const DT_BFLOAT16 = 14;
const DT_HALF = 19;

/** TensorProto and TensorShapeProto field numbers. */
const F_DTYPE = 1;
const F_SHAPE = 2;
const F_CONTENT = 4;
const F_FLOAT_VAL = 5;
const F_DOUBLE_VAL = 6;
const F_INT_VAL = 7;
const F_INT64_VAL = 10;
/** Holds DT_HALF and DT_BFLOAT16 bit patterns, one per int32. */
const F_HALF_VAL = 13;
const F_SHAPE_DIM = 2;
const F_SHAPE_UNKNOWN_RANK = 3;
const F_DIM_SIZE = 1;

const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  [DT_FLOAT]: 4,
  [DT_DOUBLE]: 8,
  [DT_INT32]: 4,
  [DT_INT64]: 8,
  [DT_BFLOAT16]: 2,
  [DT_HALF]: 2,
};
/** The repeated field each dtype keeps its values in. */
const VALUE_FIELD: Readonly<Record<number, number>> = {
  [DT_FLOAT]: F_FLOAT_VAL,
  [DT_DOUBLE]: F_DOUBLE_VAL,
  [DT_INT32]: F_INT_VAL,
  [DT_INT64]: F_INT64_VAL,
  [DT_BFLOAT16]: F_HALF_VAL,
  [DT_HALF]: F_HALF_VAL,
};
/** A scalar needs one value; two are enough to know a tensor is not one. */
const VALUES_KEPT = 2;

type Kind = "float" | "double" | "varint";

/** One value field (repeated, packed or not); keeps at most VALUES_KEPT numbers. */
function readRepeated(reader: BinaryReader, wire: WireType, kind: Kind, out: number[]): void {
  const single =
    kind === "float" ? WireType.Bit32 : kind === "double" ? WireType.Bit64 : WireType.Varint;
  const one = (r: BinaryReader): number =>
    kind === "float" ? r.float() : kind === "double" ? r.double() : Number(r.int64());
  if (wire === single) {
    const value = one(reader);
    if (out.length < VALUES_KEPT) out.push(value);
    return;
  }
  expectWire(wire, WireType.LengthDelimited, "tensor values");
  const packed = new BinaryReader(reader.bytes());
  while (packed.pos < packed.len && out.length < VALUES_KEPT) out.push(one(packed));
}

export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

export function bfloat16ToNumber(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16);
  return view.getFloat32(0);
}

function fromContent(dtype: number, content: Uint8Array): number {
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  switch (dtype) {
    case DT_FLOAT:
      return view.getFloat32(0, true);
    case DT_DOUBLE:
      return view.getFloat64(0, true);
    case DT_INT32:
      return view.getInt32(0, true);
    case DT_INT64:
      return Number(view.getBigInt64(0, true));
    case DT_HALF:
      return halfToNumber(view.getUint16(0, true));
    default:
      return bfloat16ToNumber(view.getUint16(0, true));
  }
}

/** Number of elements the shape says, or undefined for an unknown rank. */
function elementCount(shape: Uint8Array): number | undefined {
  let count = 1;
  let unknown = false;
  eachField(shape, "tensor shape", (field, wire, reader) => {
    if (field === F_SHAPE_UNKNOWN_RANK) {
      expectWire(wire, WireType.Varint, "tensor shape unknown_rank");
      unknown = reader.bool();
      return true;
    }
    if (field !== F_SHAPE_DIM) return false;
    expectWire(wire, WireType.LengthDelimited, "tensor shape dim");
    let size = 0;
    eachField(reader.bytes(), "tensor shape dim", (f, w, r) => {
      if (f !== F_DIM_SIZE) return false;
      expectWire(w, WireType.Varint, "tensor shape dim size");
      size = safeInt64(r, "tensor shape dim size");
      return true;
    });
    count = Math.min(count * Math.max(size, 0), Number.MAX_SAFE_INTEGER);
    return true;
  });
  return unknown ? undefined : count;
}

/**
 * The value of a numeric scalar tensor; `undefined` for another dtype or a tensor that is not a
 * single element. Throws TelemetryError MALFORMED for bytes that do not decode.
 */
export function scalarFromTensor(bytes: Uint8Array): number | undefined {
  let dtype = 0;
  let count: number | undefined = 1;
  let content: Uint8Array | undefined;
  const values: number[] = [];
  const valueFields = new Set<number>();
  eachField(bytes, "tensor", (field, wire, reader) => {
    switch (field) {
      case F_DTYPE:
        expectWire(wire, WireType.Varint, "tensor dtype");
        dtype = reader.int32();
        return true;
      case F_SHAPE:
        expectWire(wire, WireType.LengthDelimited, "tensor shape");
        count = elementCount(reader.bytes());
        return true;
      case F_CONTENT:
        expectWire(wire, WireType.LengthDelimited, "tensor_content");
        content = reader.bytes();
        return true;
      case F_FLOAT_VAL:
        valueFields.add(field);
        readRepeated(reader, wire, "float", values);
        return true;
      case F_DOUBLE_VAL:
        valueFields.add(field);
        readRepeated(reader, wire, "double", values);
        return true;
      case F_INT_VAL:
      case F_INT64_VAL:
      case F_HALF_VAL:
        valueFields.add(field);
        readRepeated(reader, wire, "varint", values);
        return true;
      default:
        return false;
    }
  });
  const size = ELEMENT_BYTES[dtype];
  if (size === undefined || count !== 1) return undefined;
  if (content !== undefined && content.length > 0) {
    if (content.length !== size) {
      malformed(`Cannot read tensor: tensor_content has ${content.length} bytes, expected ${size}`);
    }
    return fromContent(dtype, content);
  }
  const expected = VALUE_FIELD[dtype];
  for (const field of valueFields) {
    if (field !== expected)
      malformed(`Cannot read tensor: values in field ${field} for dtype ${dtype}`);
  }
  if (values.length !== 1) malformed(`Cannot read tensor: ${values.length} values for one element`);
  const value = values[0]!;
  if (dtype === DT_HALF) return halfToNumber(value);
  if (dtype === DT_BFLOAT16) return bfloat16ToNumber(value);
  return value;
}
