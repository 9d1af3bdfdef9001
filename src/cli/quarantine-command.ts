/** `trainguard quarantine list|restore`: what `trainguard watch` moved away, and putting it back. */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import type { CommandContext } from "./command-context.js";
import { runQuarantineList, runQuarantineRestore } from "./run-quarantine.js";

const HOME_HELP = "home directory; default $TRAINGUARD_HOME or ./.trainguard";

const EXAMPLES = `
Examples:
  $ trainguard quarantine list
  $ trainguard quarantine list --format json | jq '.entries[].originalPath'
  $ trainguard quarantine restore 20261126T060000Z-1a2b3c4d
  $ trainguard quarantine restore 20261126T060000Z-1a2b3c4d --to /tmp/inspect/model.pt`;

export function registerQuarantineCommand(
  program: CommandUnknownOpts,
  context: CommandContext,
): void {
  const quarantine = program
    .command("quarantine")
    .summary("list and restore files that trainguard watch quarantined")
    .description(
      "List the files `trainguard watch` moved to <home>/quarantine/ and where they came from, " +
        "or move one back (never over an existing file).",
    )
    .addHelpText("after", EXAMPLES);
  quarantine
    .command("list")
    .description("list quarantined files: id, verdict, original path, when, by whom, SHA-256")
    .option("--home <dir>", HOME_HELP)
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json"] as const)
        .default("text" as const),
    )
    .action(async (options) => {
      context.setExitCode(await runQuarantineList(options, context.io));
    });
  quarantine
    .command("restore")
    .description("move a quarantined file back to where it came from, or to --to")
    .argument("<id>", "the quarantine id (see `trainguard quarantine list`)")
    .option("--to <path>", "restore to this path instead of the original one")
    .option("--home <dir>", HOME_HELP)
    .action(async (id, options) => {
      context.setExitCode(await runQuarantineRestore(id, options, context.io));
    });
}
