/**
 * TensorFlow's VersionDef (tensorflow/core/framework/versions.proto, copied as
 * keras/protobuf/versions.proto): producer = 1, min_consumer = 2 (int32), bad_consumers = 3
 * (repeated int32, packed or not).
 */
import { FormatError } from "../format-error.js";
import { BinaryReader, forEachField, requireWire, WireType } from "./proto-fields.js";

/** Versions a producer disowns; real files list none or a few. */
export const MAX_BAD_CONSUMERS = 64;

export interface VersionDef {
  readonly producer: number;
  readonly minConsumer: number;
  readonly badConsumers: readonly number[];
}

export function readVersionDef(bytes: Uint8Array): VersionDef {
  let producer = 0;
  let minConsumer = 0;
  const badConsumers: number[] = [];
  const addBad = (value: number, at: number) => {
    if (badConsumers.length >= MAX_BAD_CONSUMERS) {
      throw new FormatError(
        "LIMIT_EXCEEDED",
        `Cannot read VersionDef: over ${MAX_BAD_CONSUMERS} bad consumers`,
        at,
      );
    }
    badConsumers.push(value);
  };
  forEachField(bytes, "VersionDef", (field, r, wire, at) => {
    if (field === 1 || field === 2) {
      requireWire(wire, WireType.Varint, `VersionDef field ${field}`, at);
      const value = r.int32();
      if (field === 1) producer = value;
      else minConsumer = value;
    } else if (field === 3 && wire === WireType.Varint) {
      addBad(r.int32(), at);
    } else if (field === 3 && wire === WireType.LengthDelimited) {
      // Packed: varints back to back in one LEN field.
      const packed = new BinaryReader(r.bytes());
      while (packed.pos < packed.len) addBad(packed.int32(), at);
    } else {
      throw new FormatError("MALFORMED", `Cannot read VersionDef: unexpected field ${field}`, at);
    }
  });
  return { producer, minConsumer, badConsumers };
}
