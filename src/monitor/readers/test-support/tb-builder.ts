/**
 * Builds TensorBoard event bytes in tests, field by field, so malformed inputs are made in code
 * (the well-formed fixtures come from scripts/fixtures/tfevents_writer.py).
 */
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { maskedCrc32c } from "../crc32c.js";

export { WireType };

export type Field = (w: BinaryWriter) => void;

export function message(...fields: Field[]): Uint8Array {
  const w = new BinaryWriter();
  for (const f of fields) f(w);
  return w.finish();
}

export const varint =
  (no: number, value: number | bigint): Field =>
  (w) => {
    w.tag(no, WireType.Varint).int64(value);
  };
export const double =
  (no: number, value: number): Field =>
  (w) => {
    w.tag(no, WireType.Bit64).double(value);
  };
export const float =
  (no: number, value: number): Field =>
  (w) => {
    w.tag(no, WireType.Bit32).float(value);
  };
export const bytes =
  (no: number, value: Uint8Array): Field =>
  (w) => {
    w.tag(no, WireType.LengthDelimited).bytes(value);
  };
export const text = (no: number, value: string): Field =>
  bytes(no, new TextEncoder().encode(value));
export const raw =
  (chunk: Uint8Array): Field =>
  (w) => {
    w.raw(chunk);
  };

export const scalarsPlugin = (): Field => bytes(9, message(bytes(1, message(text(1, "scalars")))));

export function simpleValue(tag: string, value: number): Uint8Array {
  return message(text(1, tag), float(2, value));
}

export function tensorValue(tag: string, tensor: Uint8Array, withPlugin = true): Uint8Array {
  return withPlugin
    ? message(text(1, tag), scalarsPlugin(), bytes(8, tensor))
    : message(text(1, tag), bytes(8, tensor));
}

export function summaryEvent(wallTime: number, step: number, ...values: Uint8Array[]): Uint8Array {
  return message(
    double(1, wallTime),
    varint(2, step),
    bytes(5, message(...values.map((v) => bytes(1, v)))),
  );
}

export function sessionEvent(wallTime: number, step: number, status: number): Uint8Array {
  return message(double(1, wallTime), varint(2, step), bytes(7, message(varint(1, status))));
}

export function versionEvent(wallTime: number): Uint8Array {
  return message(double(1, wallTime), text(3, "brain.Event:2"));
}

/** One TFRecord: length, masked CRC of the length, data, masked CRC of the data. */
export function frame(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** A header announcing `length` bytes, with a valid length checksum. */
export function header(length: bigint): Uint8Array {
  const out = new Uint8Array(12);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, length, true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}
