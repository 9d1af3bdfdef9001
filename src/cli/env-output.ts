/** Shared by the `env` subcommands: reading small input files and writing a report. */
import { readFile, writeFile } from "node:fs/promises";
import { errorMessage, printError } from "./errors.js";
import type { CliIo } from "./io.js";

/** Reads a key, certificate or snapshot file; prints the error and returns undefined on failure. */
export async function readInput(
  path: string,
  what: string,
  io: CliIo,
): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    printError(io, `Cannot read ${what} "${path}": ${code ?? errorMessage(error)}`);
    return undefined;
  }
}

/** Writes `text` to `output` (or stdout); false after printing why it could not. */
export async function writeOutput(
  text: string,
  output: string | undefined,
  io: CliIo,
): Promise<boolean> {
  if (output === undefined) {
    io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    return true;
  }
  try {
    await writeFile(output, text.endsWith("\n") ? text : `${text}\n`);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    printError(io, `Cannot write "${output}": ${code ?? errorMessage(error)}`);
    return false;
  }
}
