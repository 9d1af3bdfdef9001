/**
 * Makes attacker-controlled text (paths, zip member names, messages quoting file content) safe to
 * print on a terminal. Control characters could move the cursor, recolour or retitle the terminal,
 * or hide a line; bidirectional overrides could reorder what the reader sees ("Trojan Source",
 * CVE-2021-42574). Each is replaced by a visible escape such as `\x1b` or `\u202e`.
 */

/** Bidi marks, embeddings, overrides and isolates, and the line and paragraph separators. */
const UNSAFE_FORMAT_CHARS = new Set([
  0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067,
  0x2068, 0x2069,
]);

/** C0 controls, DEL and C1 controls. */
function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
}

function escapeCode(code: number): string {
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

export function printable(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out += isControl(code) || UNSAFE_FORMAT_CHARS.has(code) ? escapeCode(code) : text.charAt(i);
  }
  return out;
}
