/**
 * A minimal DER reader (ITU-T X.690 §8 and §10): one tag-length-value at a time, definite
 * lengths only, every length checked against the bytes that remain. Enough to read the few
 * certificate fields Node's `X509Certificate` does not expose.
 */
import { CryptoError } from "../crypto-error.js";

export interface Tlv {
  /** The identifier octet; we never need multi-byte (high) tag numbers, so they are refused. */
  readonly tag: number;
  /** First byte of the value. */
  readonly start: number;
  /** One past the last byte of the value, and so the offset of the next element. */
  readonly end: number;
}

/** Four length bytes cover 4 GiB, far beyond any certificate; more is refused. */
const MAX_LENGTH_BYTES = 4;

function fail(state: string, offset: number): never {
  throw new CryptoError("MALFORMED", `Cannot read DER at byte ${offset}: ${state}`);
}

/** Reads the element at `offset`, which must end at or before `limit`. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) fail("truncated header", offset);
  const tag = bytes[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) fail("high tag numbers are not supported", offset);
  const first = bytes[offset + 1] ?? 0;
  let length = first;
  let position = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    // X.690 §10.1: DER uses the definite form with the fewest length octets.
    if (count === 0) fail("indefinite length", offset);
    if (count > MAX_LENGTH_BYTES) fail(`length of ${count} bytes`, offset);
    if (position + count > limit) fail("truncated length", offset);
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (bytes[position + i] ?? 0);
    if (length < 0x80 || (bytes[position] ?? 0) === 0) fail("non-minimal length", offset);
    position += count;
  }
  if (length > limit - position) fail(`length ${length} runs past the end`, offset);
  return { tag, start: position, end: position + length };
}

/** The elements of a constructed value, in order; at most `maxChildren` of them. */
export function readChildren(bytes: Uint8Array, parent: Tlv, maxChildren = 1024): Tlv[] {
  const children: Tlv[] = [];
  for (let offset = parent.start; offset < parent.end; ) {
    if (children.length >= maxChildren) fail(`more than ${maxChildren} elements`, offset);
    const child = readTlv(bytes, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (tlv === undefined) fail(`${what} is missing`, 0);
  if (tlv.tag !== tag)
    fail(`${what} has tag 0x${tlv.tag.toString(16)}, expected 0x${tag.toString(16)}`, tlv.start);
  return tlv;
}

export function tlvValue(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  /** `[3] EXPLICIT`, where a certificate's extensions live (RFC 5280 §4.1). */
  CONTEXT_3: 0xa3,
} as const;
