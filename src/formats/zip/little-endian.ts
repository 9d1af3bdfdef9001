import { FormatError } from "../format-error.js";

/** Little-endian field reads (APPNOTE 4.4.1: "All values MUST be stored in little-endian"). */

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function u16(bytes: Uint8Array, offset: number): number {
  return view(bytes).getUint16(offset, true);
}

export function u32(bytes: Uint8Array, offset: number): number {
  return view(bytes).getUint32(offset, true);
}

/** A 64-bit field as a number; values past 2^53 cannot address anything we could read. */
export function u64(bytes: Uint8Array, offset: number, what: string): number {
  const value = view(bytes).getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new FormatError("LIMIT_EXCEEDED", `Cannot read ${what}: "${value}" is too large`, offset);
  }
  return Number(value);
}
