/** Runs `trainguard ledger key` and `trainguard ledger witness-key`. */
import { writeFile } from "node:fs/promises";
import { readLogKey } from "../server/log-key.js";
import { generateWitnessKeys } from "../server/witness-key.js";
import { resolveHome } from "../store/index.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

export async function runLedgerKey(
  options: { readonly home?: string | undefined },
  io: CliIo,
): Promise<ExitCode> {
  try {
    const key = await readLogKey(resolveHome(options.home));
    io.stdout.write(`${key.verifierKey}\n`);
    return ExitCode.Clean;
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot read log key"));
    return ExitCode.CouldNotCheck;
  }
}

export async function runWitnessKey(
  options: { readonly out: string; readonly name: string },
  io: CliIo,
): Promise<ExitCode> {
  try {
    const keys = generateWitnessKeys(options.name);
    // "wx": an existing key file is never replaced; losing a witness key cannot be undone.
    await writeFile(options.out, `${keys.signerKey}\n`, { mode: 0o600, flag: "wx" });
    io.stdout.write(`${keys.verifierKey}\n`);
    return ExitCode.Clean;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const state = code === "EEXIST" ? "it already exists" : (code ?? (error as Error).message);
    printError(io, cannotMessage(error, `Cannot write witness key "${options.out}": ${state}`));
    return ExitCode.CouldNotCheck;
  }
}
