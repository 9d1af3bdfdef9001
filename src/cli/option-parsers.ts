/** Argument parsers for commander options; they throw InvalidArgumentError, which exits 2. */
import { InvalidArgumentError } from "@commander-js/extra-typings";

/** Digits only, no sign, no leading zero: "1e3", "0x10", "+5" and "07" are refused, not guessed. */
const POSITIVE_INTEGER = /^[1-9][0-9]*$/;

export function parsePositiveInteger(value: string): number {
  const parsed = Number(value);
  if (!POSITIVE_INTEGER.test(value) || !Number.isSafeInteger(parsed)) {
    throw new InvalidArgumentError(`Expected a positive integer up to ${Number.MAX_SAFE_INTEGER}`);
  }
  return parsed;
}

/** A decimal number above zero ("2", "0.5"); no exponent, sign or hex. */
export function parsePositiveNumber(value: string): number {
  const parsed = Number(value);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !(parsed > 0) || !Number.isFinite(parsed)) {
    throw new InvalidArgumentError("Expected a positive decimal number");
  }
  return parsed;
}

/** Collects a repeatable option (`--allow a --allow b`) into a list. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
