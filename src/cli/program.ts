/**
 * The `trainguard` program. Each command lives in its own file and registers itself here. Usage
 * errors exit 2, not commander's 1: 1 means "findings" for every trainguard command.
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { TOOL_INFO } from "../scan/report/index.js";
import type { CommandContext } from "./command-context.js";
import { registerEnvCommand } from "./env-command.js";
import { cannotMessage, PROGRAM_NAME, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import { registerGuardCommand } from "./guard-command.js";
import { type CliIo, processIo } from "./io.js";
import { registerLedgerCommand } from "./ledger-command.js";
import { registerMonitorCommand } from "./monitor-command.js";
import { registerQuarantineCommand } from "./quarantine-command.js";
import { registerScanCommand } from "./scan-command.js";
import { registerServeCommand } from "./serve-command.js";
import { registerSignCommand } from "./sign-command.js";
import { registerTokenCommand } from "./token-command.js";
import { registerVerifyCommand } from "./verify-command.js";
import { registerWatchCommand } from "./watch-command.js";

/** commander prints "error: unknown option '--x'"; we print "trainguard: Cannot parse …". */
function usageError(text: string): string {
  const message = text
    .replace(/^error: /, "")
    .trimEnd()
    .replace(/\.$/, "");
  return `${PROGRAM_NAME}: Cannot parse the command line: ${message}\n`;
}

export function buildProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command(PROGRAM_NAME)
    .description(
      "Keeps model training trustworthy: checks the model files a training job loads, signs and " +
        "verifies models, verifies Python environments, and keeps a ledger nobody can rewrite.",
    )
    .version(TOOL_INFO.version, "-V, --version", "print the trainguard version")
    .helpOption("-h, --help", "print help for trainguard or a command")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(usageError(text)),
    })
    .showHelpAfterError("(add --help for usage)");
  program.addHelpText(
    "after",
    `
Exit status: 0 clean, 1 findings, 2 could not check.

Examples:
  $ trainguard scan model.pt
  $ trainguard scan checkpoints/ --format sarif --output trainguard.sarif
  $ trainguard sign models/bert --private-key key.pem
  $ trainguard verify models/bert --signature models/bert/model.sig --public-key key.pub
  $ trainguard env verify .venv --format json
  $ trainguard serve --port 8080
  $ trainguard monitor analyze telemetry/ --format json
  $ trainguard ledger verify --server http://127.0.0.1:8080 --key "$(trainguard ledger key)"
  $ trainguard <command> --help`,
  );
  registerScanCommand(program, context);
  registerSignCommand(program, context);
  registerVerifyCommand(program, context);
  registerEnvCommand(program, context);
  registerServeCommand(program, context);
  registerTokenCommand(program, context);
  registerLedgerCommand(program, context);
  registerGuardCommand(program, context);
  registerWatchCommand(program, context);
  registerQuarantineCommand(program, context);
  registerMonitorCommand(program, context);
  return program;
}

/** Runs the CLI on `argv` (without the node and script paths) and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Clean;
  const context: CommandContext = {
    io,
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  try {
    await buildProgram(context).parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    // --help and --version end with a CommanderError whose exitCode is 0.
    if (error instanceof CommanderError)
      return error.exitCode === 0 ? ExitCode.Clean : ExitCode.CouldNotCheck;
    printError(io, cannotMessage(error, "Cannot run trainguard (internal error)"));
    return ExitCode.CouldNotCheck;
  }
}
