import { open } from "node:fs/promises";
import { TelemetryError } from "../telemetry-error.js";

/** A small text file (MLflow meta.yaml, a param, a tag), refused past `maxBytes`. */
export async function readSmallText(path: string, maxBytes: number): Promise<string> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      throw new TelemetryError(
        "LIMIT_EXCEEDED",
        `Cannot read "${path}": ${size} bytes is more than ${maxBytes}`,
      );
    }
    const buffer = new Uint8Array(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return new TextDecoder("utf-8").decode(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** `readSmallText`, or `undefined` when the file does not exist. */
export async function readOptionalText(
  path: string,
  maxBytes: number,
): Promise<string | undefined> {
  try {
    return await readSmallText(path, maxBytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
