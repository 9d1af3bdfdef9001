/**
 * Field-by-field walking of a protobuf message with @bufbuild/protobuf's BinaryReader, strict
 * about wire types: a known field with the wrong wire type is an error, not a guess. Groups are
 * refused (no TensorBoard message uses them) so skipping never recurses.
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { TelemetryError } from "../telemetry-error.js";

export { WireType };

export function malformed(message: string): never {
  throw new TelemetryError("MALFORMED", message);
}

/** Calls `visit` for each field; fields it returns `false` for are skipped. */
export function eachField(
  bytes: Uint8Array,
  what: string,
  visit: (field: number, wire: WireType, reader: BinaryReader) => boolean,
): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wire] = reader.tag();
    if (field === 0) malformed(`Cannot read ${what}: field number 0`);
    if (wire === WireType.StartGroup || wire === WireType.EndGroup) {
      malformed(`Cannot read ${what}: field ${field} is a group`);
    }
    if (!visit(field, wire, reader)) reader.skip(wire, field);
  }
}

export function expectWire(wire: WireType, expected: WireType, what: string): void {
  if (wire !== expected) {
    malformed(`Cannot read ${what}: wire type ${wire}, expected ${expected}`);
  }
}

/** An int64 field as a JS number, refused when it is not a safe integer. */
export function safeInt64(reader: BinaryReader, what: string): number {
  const value = Number(reader.int64());
  if (!Number.isSafeInteger(value))
    malformed(`Cannot read ${what}: "${value}" is not a safe integer`);
  return value;
}
