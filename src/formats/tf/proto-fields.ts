/**
 * Small helpers over @bufbuild/protobuf's wire reader for the TensorFlow side files
 * (`keras_metadata.pb`, `fingerprint.pb`): one message's fields in order, wire types checked,
 * and the reader's plain errors turned into FormatError.
 */
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { FormatError } from "../format-error.js";

export { BinaryReader, WireType };

/** Calls `onField` for every field of one message; the callback must consume the value. */
export function forEachField(
  bytes: Uint8Array,
  what: string,
  onField: (field: number, reader: BinaryReader, wire: WireType, at: number) => void,
): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const at = reader.pos;
    const [field, wire] = reader.tag();
    if (field === 0) throw new FormatError("MALFORMED", `Cannot read ${what}: field number 0`, at);
    onField(field, reader, wire, at);
  }
}

export function requireWire(actual: WireType, expected: WireType, what: string, at: number): void {
  if (actual !== expected) {
    throw new FormatError(
      "MALFORMED",
      `Cannot read ${what}: wire type ${actual}, expected ${expected}`,
      at,
    );
  }
}

/** Runs a parse, rethrowing the wire reader's plain errors ("premature EOF") as FormatError. */
export function wrapWireErrors<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FormatError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const code = /EOF|range/i.test(message) ? "TRUNCATED" : "MALFORMED";
    throw new FormatError(code, `Cannot read ${what} protobuf: ${message}`, undefined, {
      cause: error,
    });
  }
}

const MAX_VARINT_BYTES = 10;

/** A varint at `pos` of a head buffer, or undefined when it does not end inside it. */
export function headVarint(
  bytes: Uint8Array,
  pos: number,
): [value: number, next: number] | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const b = bytes[pos + i];
    if (b === undefined) return undefined;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return [value, pos + i + 1];
  }
  return undefined;
}
