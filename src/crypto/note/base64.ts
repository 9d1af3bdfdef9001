/**
 * Standard base64 with padding (RFC 4648 §4), as signed-note and tlog-checkpoint require.
 * Buffer.from(s, "base64") skips invalid characters, accepts missing padding and URL-safe
 * letters, so it would give two spellings to one signature; this decoder accepts only the one
 * canonical spelling (it must re-encode to exactly the input, which also rules out non-zero
 * padding bits) and returns undefined for anything else.
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64Strict(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
