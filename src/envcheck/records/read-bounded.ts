/**
 * Reads a small metadata file whole, refusing symbolic links, anything that is not a regular
 * file, and files larger than the caller's bound.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { EnvCheckError, type EnvCheckErrorCode } from "../env-error.js";

export interface BoundedRead {
  readonly bytes: Buffer;
  /** True when the file was larger than the bound and only `max` bytes were read. */
  readonly truncated: boolean;
}

/**
 * Reads at most `max` bytes of `path`. With `allowTruncation` a larger file yields its first `max`
 * bytes and `truncated: true`; without it, a larger file is an error with `code`.
 */
export async function readBounded(
  path: string,
  max: number,
  what: string,
  code: EnvCheckErrorCode = "BAD_RECORD",
  allowTruncation = false,
): Promise<BoundedRead> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new EnvCheckError(code, `Cannot read ${what} "${path}": ${errno}`, { cause: error });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new EnvCheckError(code, `Cannot read ${what} "${path}": not a regular file`);
    }
    if (stat.size > max && !allowTruncation) {
      throw new EnvCheckError(
        code,
        `Cannot read ${what} "${path}": ${stat.size} bytes is more than the limit of ${max}`,
      );
    }
    const length = Math.min(stat.size, max);
    const bytes = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await handle.read(bytes, done, length - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return { bytes: bytes.subarray(0, done), truncated: stat.size > max };
  } catch (error) {
    if (error instanceof EnvCheckError) throw error;
    const errno = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new EnvCheckError(code, `Cannot read ${what} "${path}": ${errno}`, { cause: error });
  } finally {
    await handle.close();
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Strict UTF-8 decoding; invalid bytes are a malformed record, not replacement characters. */
export function decodeUtf8(bytes: Uint8Array, what: string, path: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new EnvCheckError("BAD_RECORD", `Cannot read ${what} "${path}": not valid UTF-8`);
  }
}
