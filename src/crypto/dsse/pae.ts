/**
 * DSSE pre-authentication encoding (secure-systems-lab/dsse `protocol.md`, v1.0.0):
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, LEN being the ASCII decimal byte count.
 */
const encoder = new TextEncoder();

export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = encoder.encode(payloadType);
  const head = encoder.encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

/**
 * The encoding `model_signing` v0.2 signed by mistake: the payload bytes were formatted into a
 * Python string, so what was signed is `DSSEV1 <n> <type> <n> b'<repr of the bytes>'` (note the
 * capital V). The reference verifier still accepts it (`sign_sigstore_pb.pae_compat`), and so do
 * we, only as a fallback for signatures that fail the standard encoding.
 */
export function paeCompat(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = encoder.encode(payloadType);
  return encoder.encode(
    `DSSEV1 ${type.length} ${payloadType} ${payload.length} ${pythonBytesRepr(payload)}`,
  );
}

const HEX = "0123456789abcdef";

/** Python's `repr(bytes)`: single quotes unless the bytes hold `'` and no `"`. */
export function pythonBytesRepr(bytes: Uint8Array): string {
  const single = 0x27;
  const double = 0x22;
  const quote = bytes.includes(single) && !bytes.includes(double) ? double : single;
  const parts: string[] = ["b", String.fromCharCode(quote)];
  for (const byte of bytes) {
    if (byte === 0x5c) parts.push("\\\\");
    else if (byte === quote) parts.push(`\\${String.fromCharCode(quote)}`);
    else if (byte === 0x09) parts.push("\\t");
    else if (byte === 0x0a) parts.push("\\n");
    else if (byte === 0x0d) parts.push("\\r");
    else if (byte < 0x20 || byte >= 0x7f) parts.push(`\\x${HEX[byte >> 4]}${HEX[byte & 15]}`);
    else parts.push(String.fromCharCode(byte));
  }
  parts.push(String.fromCharCode(quote));
  return parts.join("");
}
