/** How the CLI reports a failure: one line on stderr, "trainguard: Cannot <action> <object>: <state>". */
import { printable } from "../scan/report/index.js";
import type { CliIo } from "./io.js";

export const PROGRAM_NAME = "trainguard";

export function printError(io: CliIo, message: string): void {
  io.stderr.write(`${PROGRAM_NAME}: ${printable(message)}\n`);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Keeps a message that already follows "Cannot …", and wraps any other in `fallback`. */
export function cannotMessage(error: unknown, fallback: string): string {
  const message = errorMessage(error);
  return message.startsWith("Cannot ") ? message : `${fallback}: ${message}`;
}
