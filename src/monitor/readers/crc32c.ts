/**
 * CRC-32C (Castagnoli), the checksum of TFRecord framing, and the "masked" form TensorBoard
 * stores (tensorboard/summary/writer/record_writer.py; tensorflow/core/lib/hash/crc32c.h).
 */

/** Reflected form of the Castagnoli polynomial 0x1EDC6F41 (RFC 3720 appendix B.4). */
const POLYNOMIAL = 0x82f63b78;
/** Added after rotating so that a CRC over data holding CRCs is not trivially related to it. */
const MASK_DELTA = 0xa282ead8;

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C of `bytes`, as an unsigned 32-bit integer. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** `((c >>> 15) | (c << 17)) + 0xa282ead8 mod 2^32`, the checksum TFRecord files store. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return ((((c >>> 15) | (c << 17)) >>> 0) + MASK_DELTA) >>> 0;
}
