import { constants } from "node:buffer";
import { gunzipSync, inflateSync } from "node:zlib";
import { FormatError } from "../format-error.js";
import type { CompressionKind } from "./sniff-compression.js";

/**
 * Decompresses gzip (every member, RFC 1952 2.2) or zlib (RFC 1950) data with the output capped:
 * this is the decompression-bomb guard. Node 20's zlib has no bzip2, xz, lzma or zstd (zstd arrived
 * in Node 22.15), and 7z is an archive, so those are UNSUPPORTED rather than guessed at.
 *
 * `maxRatio` optionally caps output/input as well; the effective cap is the smaller of the two.
 */
export function decompressBounded(
  kind: CompressionKind,
  bytes: Uint8Array,
  maxOutput: number,
  maxRatio = Number.POSITIVE_INFINITY,
): Uint8Array {
  if (kind !== "gzip" && kind !== "zlib") {
    throw new FormatError("UNSUPPORTED", `Cannot decompress ${kind} data: not supported`);
  }
  // Node cannot allocate past buffer.constants.MAX_LENGTH (4 GiB on Node 20), whatever we ask.
  const cap = Math.floor(
    Math.min(maxOutput, maxRatio * Math.max(1, bytes.length), constants.MAX_LENGTH - 1),
  );
  if (!(cap >= 0)) throw new RangeError(`decompressBounded: invalid cap ${cap}`);
  let output: Uint8Array;
  const overCap = (cause?: unknown): FormatError => {
    const ratio = (cap + 1) / Math.max(1, bytes.length);
    return new FormatError(
      "LIMIT_EXCEEDED",
      `Cannot decompress ${kind} data: output exceeds "${cap}" bytes from "${bytes.length}" (ratio over "${ratio.toFixed(1)}")`,
      undefined,
      cause === undefined ? undefined : { cause },
    );
  };
  try {
    // One byte of headroom distinguishes "exactly at the cap" from "over it".
    const options = { maxOutputLength: cap + 1 };
    output = kind === "gzip" ? gunzipSync(bytes, options) : inflateSync(bytes, options);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") throw overCap(error);
    if (code === "Z_BUF_ERROR") {
      throw new FormatError(
        "TRUNCATED",
        `Cannot decompress ${kind} data: stream ends early`,
        undefined,
        { cause: error },
      );
    }
    throw new FormatError(
      "MALFORMED",
      `Cannot decompress ${kind} data: invalid stream`,
      undefined,
      { cause: error },
    );
  }
  if (output.length > cap) throw overCap();
  return output;
}
