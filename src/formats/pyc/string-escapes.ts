/**
 * Stands for a character named by `\N{...}`: we carry no Unicode name table, so a constant
 * matches such a literal with any one character in this position.
 */
export const NAMED_CHAR_WILDCARD = "\uffff";

const SIMPLE: ReadonlyMap<string, string> = new Map([
  ["\\", "\\"],
  ["'", "'"],
  ['"', '"'],
  ["a", "\x07"],
  ["b", "\b"],
  ["f", "\f"],
  ["n", "\n"],
  ["r", "\r"],
  ["t", "\t"],
  ["v", "\v"],
]);

const HEX = /^[0-9a-fA-F]+$/;

/**
 * The value of a string or bytes literal body per the Python reference ("String and Bytes
 * literals", escape sequences). Unknown escapes keep their backslash, as Python does. Bytes are
 * returned as a string of code points 0..255.
 */
export function decodeEscapes(body: string, bytes: boolean): string {
  if (!body.includes("\\")) return body;
  let out = "";
  let i = 0;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch !== "\\" || i + 1 >= body.length) {
      out += ch;
      i++;
      continue;
    }
    const next = body[i + 1]!;
    if (next === "\n") {
      i += 2;
      continue;
    }
    const simple = SIMPLE.get(next);
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (next >= "0" && next <= "7") {
      let j = i + 1;
      while (j < body.length && j < i + 4 && body[j]! >= "0" && body[j]! <= "7") j++;
      const value = Number.parseInt(body.slice(i + 1, j), 8);
      out += String.fromCharCode(bytes ? value & 0xff : value);
      i = j;
      continue;
    }
    const width = next === "x" ? 2 : bytes ? 0 : next === "u" ? 4 : next === "U" ? 8 : 0;
    const digits = body.slice(i + 2, i + 2 + width);
    if (width > 0 && digits.length === width && HEX.test(digits)) {
      const value = Number.parseInt(digits, 16);
      out += value <= 0x10ffff ? String.fromCodePoint(value) : NAMED_CHAR_WILDCARD;
      i += 2 + width;
      continue;
    }
    if (!bytes && next === "N" && body[i + 2] === "{") {
      const close = body.indexOf("}", i + 3);
      if (close > 0) {
        out += NAMED_CHAR_WILDCARD;
        i = close + 1;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}
