/**
 * Byte conversions at the driver boundary. Both drivers bind Node Buffers as BLOB/bytea and
 * return Buffers; callers get plain Uint8Arrays that own their memory, so a pooled Buffer slab
 * never leaks and `deepStrictEqual` against a Uint8Array holds.
 */
export function toDatabaseBytes(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function fromDatabaseBytes(value: Uint8Array | null | undefined): Uint8Array {
  return value === null || value === undefined ? new Uint8Array(0) : new Uint8Array(value);
}
