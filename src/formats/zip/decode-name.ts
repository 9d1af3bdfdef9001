import { FLAG_UTF8 } from "./signatures.js";

/**
 * Code page 437, bytes 0x80-0xff: APPNOTE Appendix D says names are CP437 unless flag bit 11 is
 * set, which is also what Python's zipfile decodes. (miniz compares raw bytes, so names are only
 * for display and duplicate detection; raw-byte comparisons are made separately.)
 */
const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌" +
  "█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

const UTF8 = new TextDecoder("utf-8", { fatal: false });

/** Decodes a file name by flag bit 11 (APPNOTE 4.4.4, Appendix D.2); invalid UTF-8 becomes U+FFFD. */
export function decodeName(bytes: Uint8Array, flags: number): string {
  if (flags & FLAG_UTF8) {
    return UTF8.decode(bytes);
  }
  let out = "";
  for (const byte of bytes) {
    out += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
  }
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}
