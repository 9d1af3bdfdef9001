/**
 * Builds a .npy file around a header dict literal, padded with spaces and a newline to a multiple
 * of 64 bytes as numpy's `_wrap_header` does. The header text is written as given, so tests can
 * put anything in it.
 */
export function buildNpy(
  dict: string,
  data: Uint8Array,
  major: 1 | 2 | 3 = 1,
  lengthOverride?: number,
): Uint8Array {
  const prefixLength = major === 1 ? 10 : 12;
  const encoded =
    major === 3
      ? new TextEncoder().encode(dict)
      : Uint8Array.from(dict, (c) => c.charCodeAt(0) & 0xff);
  const padding = 64 - ((prefixLength + encoded.length + 1) % 64);
  const header = new Uint8Array(encoded.length + (padding % 64) + 1).fill(0x20);
  header.set(encoded);
  header[header.length - 1] = 0x0a;
  const out = new Uint8Array(prefixLength + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  const length = lengthOverride ?? header.length;
  if (major === 1) view.setUint16(8, length, true);
  else view.setUint32(8, length, true);
  out.set(header, prefixLength);
  out.set(data, prefixLength + header.length);
  return out;
}
