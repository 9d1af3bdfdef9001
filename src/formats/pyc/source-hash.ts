import { atLeast, MAGIC_BYTES, versionForMagic } from "./magic.js";
import { sipHash13, sipHash24 } from "./siphash.js";

const KEY_BYTES = 16;

/**
 * `importlib.util.source_hash(source)` for the interpreter that writes `magic`: the 8 bytes a
 * hash-based pyc (PEP 552) stores. CPython calls `_imp.source_hash(_RAW_MAGIC_NUMBER, source)`,
 * which runs `_Py_KeyedHash(key, ...)` with SipHash keyed k0 = the magic as a little-endian
 * integer, k1 = 0, and returns the 64-bit result in native (here little-endian) byte order.
 * `_Py_KeyedHash` uses SipHash-2-4 up to 3.10 and SipHash-1-3 from 3.11 (bpo-29410); both
 * checked against each interpreter's `importlib.util.source_hash`.
 */
export function sourceHash(source: Uint8Array, magic: Uint8Array): Uint8Array {
  const version = versionForMagic(magic);
  const key = new Uint8Array(KEY_BYTES);
  key.set(magic.subarray(0, MAGIC_BYTES));
  return atLeast(version, 3, 11) ? sipHash13(key, source) : sipHash24(key, source);
}
