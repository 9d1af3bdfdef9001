/** Reads a key, certificate or signature file named on the command line, with a size bound. */
import { readFile, stat } from "node:fs/promises";

export class InputError extends Error {
  override readonly name = "InputError";
}

export async function readInput(path: string, what: string, maxBytes: number): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile())
      throw new InputError(`Cannot read the ${what} "${path}": not a regular file`);
    if (info.size > maxBytes) {
      throw new InputError(`Cannot read the ${what} "${path}": over ${maxBytes} bytes`);
    }
    return await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(`Cannot read the ${what} "${path}": ${code}`, { cause: error });
  }
}
