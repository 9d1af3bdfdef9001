/** Builds safetensors files in code: an 8-byte little-endian length, the JSON header, the data. */
export function buildSafetensors(
  header: string | object,
  dataBytes = 0,
  lengthOverride?: bigint,
): Uint8Array {
  const text = typeof header === "string" ? header : JSON.stringify(header);
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

/** A valid two-tensor file: F32 [2, 2] then U8 [3]. */
export function validSafetensors(): Uint8Array {
  return buildSafetensors(
    {
      __metadata__: { format: "pt" },
      weight: { dtype: "F32", shape: [2, 2], data_offsets: [0, 16] },
      bias: { dtype: "U8", shape: [3], data_offsets: [16, 19] },
    },
    19,
  );
}
