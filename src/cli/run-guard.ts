/**
 * Runs `trainguard guard serve` and `trainguard guard check`: the first starts the scanner daemon
 * and prints its socket path; the second asks a running daemon about one file, for debugging.
 */
import { resolve } from "node:path";
import closeWithGrace from "close-with-grace";
import { defaultSocketPath, requestCheck, startGuardServer } from "../guard/index.js";
import { loadScanConfig, type ScanOptions } from "../scan/index.js";
import type { CommandContext } from "./command-context.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";

/** Checks in flight finish within this; a scan is bounded, so this is generous. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface GuardServeOptions {
  socket?: string;
  config?: string;
  allow?: string[];
}

export interface GuardCheckOptions {
  socket?: string;
  signature?: string;
  publicKey?: string;
}

function socketPathFor(option: string | undefined, context: CommandContext): string {
  const { io } = context;
  return option === undefined
    ? defaultSocketPath(io.env ?? process.env, io.cwd)
    : resolve(io.cwd, option);
}

export async function runGuardServe(
  options: GuardServeOptions,
  context: CommandContext,
): Promise<ExitCode> {
  const { io } = context;
  let scan: ScanOptions;
  try {
    const fromConfig =
      options.config === undefined ? {} : await loadScanConfig(resolve(io.cwd, options.config));
    scan = { ...fromConfig, allow: [...(fromConfig.allow ?? []), ...(options.allow ?? [])] };
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot read scan config"));
    return ExitCode.CouldNotCheck;
  }
  const socketPath = socketPathFor(options.socket, context);
  let server: Awaited<ReturnType<typeof startGuardServer>>;
  try {
    server = await startGuardServer({ socketPath, scan });
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot start the guard daemon"));
    return ExitCode.CouldNotCheck;
  }
  io.stdout.write(`trainguard guard listening on ${server.socketPath}\n`);
  closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async () => {
    await server.close();
  });
  // close-with-grace exits the process once the daemon has closed.
  return new Promise<ExitCode>(() => undefined);
}

export async function runGuardCheck(
  path: string,
  options: GuardCheckOptions,
  context: CommandContext,
): Promise<ExitCode> {
  const { io } = context;
  const socketPath = socketPathFor(options.socket, context);
  const verify =
    options.signature !== undefined && options.publicKey !== undefined
      ? {
          signature: resolve(io.cwd, options.signature),
          publicKey: resolve(io.cwd, options.publicKey),
        }
      : undefined;
  try {
    const reply = await requestCheck(socketPath, {
      path: resolve(io.cwd, path),
      ...(verify === undefined ? {} : { verify }),
    });
    io.stdout.write(`${JSON.stringify(reply, null, 2)}\n`);
    if ("error" in reply) return ExitCode.CouldNotCheck;
    const verifiedOk = verify === undefined || reply.verified === true;
    return reply.verdict === "clean" && verifiedOk ? ExitCode.Clean : ExitCode.Findings;
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot check file"));
    return ExitCode.CouldNotCheck;
  }
}
