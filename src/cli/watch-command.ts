/** `trainguard watch <dirs...>`: scans new and changed model files as they settle; quarantines. */
import { type CommandUnknownOpts, InvalidArgumentError, Option } from "@commander-js/extra-typings";
import type { Verdict } from "../scan/index.js";
import type { CommandContext } from "./command-context.js";
import { parsePositiveInteger } from "./option-parsers.js";
import { SERVER_OPTION_HELP } from "./record-results.js";
import { runWatch, WATCH_FORMATS } from "./run-watch.js";

const WIDENING: readonly Verdict[] = ["suspicious", "unscannable", "dangerous"];

/** `suspicious,unscannable`: verdicts quarantined besides `dangerous`, which always is. */
export function parseQuarantineList(value: string): Verdict[] {
  const names = value.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(WIDENING as readonly string[]).includes(name))
      throw new InvalidArgumentError(`Expected verdicts from ${WIDENING.join(", ")}`);
  }
  return names as Verdict[];
}

const EXAMPLES = `
Each verdict is one line on stdout (a JSON object per line with --format json). Files whose
verdict is dangerous (and any verdicts named by --quarantine) are moved to <home>/quarantine/;
see \`trainguard quarantine list\`. SIGINT or SIGTERM stop the watcher, its state saved.

Exit status with --once:
  0  every file is clean
  1  a file is suspicious, dangerous or could not be checked completely
  2  the watch could not run (missing folder, unreadable state, results not recorded)

Examples:
  $ trainguard watch /shared/checkpoints
  $ trainguard watch /shared/ckpt /scratch/models --quarantine suspicious,unscannable
  $ trainguard watch /shared/ckpt --once --format json     # from cron
  $ trainguard watch /shared/ckpt --server https://tg.internal --home /var/lib/trainguard`;

export function registerWatchCommand(program: CommandUnknownOpts, context: CommandContext): void {
  program
    .command("watch")
    .summary("scan model files as they arrive in shared folders; quarantine dangerous ones")
    .description(
      "Watch folders (file-system events, and a periodic rescan as a fallback) and scan each new " +
        "or changed file once it has stopped changing. A file that changes while it is scanned " +
        "is scanned again later, never quarantined on a stale verdict. Symbolic links are not " +
        "followed. What was scanned is remembered in <home>/watch-state.json across restarts.",
    )
    .argument("<dirs...>", "folders to watch")
    .option(
      "--home <dir>",
      "home directory (state, quarantine); default $TRAINGUARD_HOME or ./.trainguard",
    )
    .option(
      "--settle-ms <n>",
      "scan a file once its size and mtime stayed the same this long",
      parsePositiveInteger,
      2000,
    )
    .option(
      "--rescan-interval <s>",
      "seconds between full rescans (the fallback for missed events)",
      parsePositiveInteger,
      60,
    )
    .option(
      "--quarantine <verdicts>",
      "also quarantine these verdicts (comma-separated: suspicious,unscannable)",
      parseQuarantineList,
    )
    .option("--server <url>", SERVER_OPTION_HELP)
    .option("--once", "one pass over the folders, then exit with the scan's status")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(WATCH_FORMATS)
        .default("text" as const),
    )
    .addHelpText("after", EXAMPLES)
    .action(async (dirs, options) => {
      context.setExitCode(await runWatch(dirs, options, context.io));
    });
}
