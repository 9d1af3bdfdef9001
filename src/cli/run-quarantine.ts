/** Runs `trainguard quarantine list` and `trainguard quarantine restore`. */
import { resolveHome } from "../store/index.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

const loadWatch = () => import("../watch/index.js");

export interface QuarantineListOptions {
  readonly home?: string | undefined;
  readonly format: "text" | "json";
}

export interface QuarantineRestoreOptions {
  readonly home?: string | undefined;
  readonly to?: string | undefined;
}

export async function runQuarantineList(
  options: QuarantineListOptions,
  io: CliIo,
): Promise<ExitCode> {
  try {
    const watch = await loadWatch();
    const entries = await watch.readQuarantineIndex(resolveHome(options.home));
    if (options.format === "json") {
      io.stdout.write(`${JSON.stringify({ entries }, null, 2)}\n`);
      return ExitCode.Clean;
    }
    io.stdout.write(`${entries.length} quarantined file${entries.length === 1 ? "" : "s"}\n`);
    for (const e of entries) {
      const first = e.findings[0];
      io.stdout.write(
        `\n  ${e.id}  ${e.verdict}  ${e.originalPath}\n    ${e.quarantinedAt} by ${e.by}, sha256 ${e.sha256}\n` +
          (first === undefined ? "" : `    ${first.rule}: ${first.message}\n`),
      );
    }
    return ExitCode.Clean;
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot list the quarantine"));
    return ExitCode.CouldNotCheck;
  }
}

export async function runQuarantineRestore(
  id: string,
  options: QuarantineRestoreOptions,
  io: CliIo,
): Promise<ExitCode> {
  try {
    const watch = await loadWatch();
    const restored = await watch.restoreFile(resolveHome(options.home), id, options.to);
    io.stdout.write(`Restored ${id} to ${restored.restoredTo}\n`);
    return ExitCode.Clean;
  } catch (error) {
    printError(io, cannotMessage(error, `Cannot restore '${id}'`));
    return ExitCode.CouldNotCheck;
  }
}
