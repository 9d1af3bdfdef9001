/**
 * C2SP signed-note "Format": key names "MUST be non-empty and MUST NOT contain any Unicode spaces
 * or plus (U+002B) characters". We also refuse control characters (a note may not contain them)
 * and cap the length, since names arrive in attacker-written signature lines.
 */
export const MAX_KEY_NAME_LENGTH = 256;

const FORBIDDEN = /[\p{White_Space}+\p{Cc}]/u;

export function isValidKeyName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= MAX_KEY_NAME_LENGTH &&
    !FORBIDDEN.test(name) &&
    isWellFormedUnicode(name)
  );
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string encodes to UTF-8 without replacement (no lone surrogates). */
export function isWellFormedUnicode(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
