import { FormatError } from "../format-error.js";
import type { MarshalCursor } from "./marshal-cursor.js";

/** marshal writes ints that do not fit 32 bits as base-2^15 digits (marshal.c, w_PyLong). */
const DIGIT_BITS = 15;
const DIGIT_LIMIT = 1 << DIGIT_BITS;
/**
 * Our bound on digits: about a million bits. The compiler only folds constants up to 128 bits;
 * bigger values come from literals, which nobody writes this long.
 */
export const MAX_LONG_DIGITS = 1 << 16;

/** Reads a TYPE_LONG body: a signed digit count, then that many 15-bit digits, least first. */
export function readLong(cursor: MarshalCursor): bigint {
  const at = cursor.offset;
  const signed = cursor.i32("long digit count");
  const count = Math.abs(signed);
  if (count > MAX_LONG_DIGITS) {
    throw new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot read long: ${count} digits is over the limit of ${MAX_LONG_DIGITS}`,
      at,
    );
  }
  if (count * 2 > cursor.remaining) {
    throw new FormatError("TRUNCATED", `Cannot read long: ${count} digits run past the input`, at);
  }
  const digits: number[] = [];
  for (let i = 0; i < count; i++) {
    const digit = cursor.u16("long digit");
    if (digit >= DIGIT_LIMIT) {
      throw new FormatError("MALFORMED", `Cannot read long: digit "${digit}" is out of range`, at);
    }
    digits.push(digit);
  }
  if (count > 0 && digits[count - 1] === 0) {
    // CPython: "bad marshal data (unnormalized long data)".
    throw new FormatError("MALFORMED", "Cannot read long: top digit is zero", at);
  }
  const magnitude = digitsToBigInt(digits);
  return signed < 0 ? -magnitude : magnitude;
}

/** Packs base-2^15 digits into hexadecimal, so building the value stays linear in its size. */
function digitsToBigInt(digits: readonly number[]): bigint {
  if (digits.length === 0) return 0n;
  const nibbles: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const digit of digits) {
    buffer |= digit << bits;
    bits += DIGIT_BITS;
    while (bits >= 4) {
      nibbles.push(buffer & 0xf);
      buffer >>>= 4;
      bits -= 4;
    }
  }
  if (bits > 0) nibbles.push(buffer & 0xf);
  let hex = "";
  for (let i = nibbles.length - 1; i >= 0; i--) hex += nibbles[i]!.toString(16);
  return BigInt(`0x${hex}`);
}
