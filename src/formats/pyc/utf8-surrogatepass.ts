const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const CHUNK = 0x2000;

/**
 * UTF-8 as Python's "surrogatepass" error handler allows it: well-formed UTF-8 plus lone
 * surrogates U+D800..U+DFFF encoded as three bytes, which marshal writes for string literals
 * such as "\ud800". Returns undefined for anything else that is not UTF-8 (overlong forms,
 * values past U+10FFFF, bad continuation bytes).
 */
export function decodeUtf8SurrogatePass(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return decodeSlow(bytes);
  }
}

function continuation(bytes: Uint8Array, index: number): number | undefined {
  const byte = bytes[index];
  return byte !== undefined && (byte & 0xc0) === 0x80 ? byte & 0x3f : undefined;
}

function decodeSlow(bytes: Uint8Array): string | undefined {
  const units: number[] = [];
  const parts: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    let code: number;
    let size: number;
    let min: number;
    if (lead < 0x80) {
      code = lead;
      size = 1;
      min = 0;
    } else if (lead >= 0xc2 && lead < 0xe0) {
      code = lead & 0x1f;
      size = 2;
      min = 0x80;
    } else if (lead >= 0xe0 && lead < 0xf0) {
      code = lead & 0x0f;
      size = 3;
      min = 0x800;
    } else if (lead >= 0xf0 && lead < 0xf5) {
      code = lead & 0x07;
      size = 4;
      min = 0x10000;
    } else {
      return undefined;
    }
    for (let k = 1; k < size; k++) {
      const next = continuation(bytes, i + k);
      if (next === undefined) return undefined;
      code = (code << 6) | next;
    }
    if (code < min || code > 0x10ffff) return undefined;
    if (code >= 0x10000) {
      const offset = code - 0x10000;
      units.push(0xd800 + (offset >> 10), 0xdc00 + (offset & 0x3ff));
    } else {
      units.push(code);
    }
    if (units.length >= CHUNK) {
      parts.push(String.fromCharCode(...units));
      units.length = 0;
    }
    i += size;
  }
  parts.push(String.fromCharCode(...units));
  return parts.join("");
}
