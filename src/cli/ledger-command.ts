/** `trainguard ledger key|verify|witness-key`: the ledger's keys and its client-side verification. */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import type { CommandContext } from "./command-context.js";
import { runLedgerKey, runWitnessKey } from "./run-ledger-key.js";
import { runLedgerVerify } from "./run-ledger-verify.js";

const VERIFY_HELP = `
Exit status:
  0  the checkpoint is signed, consistent with the last one seen, and (with --full) every entry
     hashes to its root
  1  a signature, consistency proof or entry does not verify: the log was tampered with
  2  the check could not run (server unreachable, bad key, unreadable state file)

Examples:
  $ trainguard ledger verify --server http://127.0.0.1:8080 --key "$(trainguard ledger key)"
  $ TRAINGUARD_TOKEN=tg_... trainguard ledger verify --server https://tg.internal --key KEY --full
  $ trainguard ledger verify --server URL --key KEY --witness WITNESS_VKEY --state ledger.json`;

export function registerLedgerCommand(program: CommandUnknownOpts, context: CommandContext): void {
  const ledger = program
    .command("ledger")
    .summary("print ledger keys and verify a server's ledger")
    .description("Print the ledger's verifier key, make witness keys, verify a server's ledger.");
  ledger
    .command("key")
    .description("print the log's verifier key (name+keyhash+base64) from the home directory")
    .option("--home <dir>", "home directory; default $TRAINGUARD_HOME or ./.trainguard")
    .action(async (options) => {
      context.setExitCode(await runLedgerKey(options, context.io));
    });
  ledger
    .command("witness-key")
    .description("create a witness (cosignature/v1) key file and print its verifier key")
    .requiredOption(
      "--out <file>",
      "where to write the private key (created 0600; never overwritten)",
    )
    .option("--name <name>", "the witness's key name", "trainguard.local/witness")
    .action(async (options) => {
      context.setExitCode(await runWitnessKey(options, context.io));
    });
  ledger
    .command("verify")
    .description("verify a server's signed checkpoint, its growth since last time, and its entries")
    .option("--server <url>", "server URL; default $TRAINGUARD_SERVER")
    .requiredOption("--key <vkey>", "the log's verifier key (name+keyhash+base64)")
    .option(
      "--token <token>",
      "bearer token; default $TRAINGUARD_TOKEN (not needed with --public-ledger)",
    )
    .option("--origin <origin>", "expected checkpoint origin; default the key's name")
    .option("--witness <vkey>", "require a cosignature by this witness key")
    .option("--full", "download every entry and recompute the whole tree")
    .option(
      "--state <file>",
      "where the last verified checkpoint is kept (default ~/.config/trainguard/ledger/)",
    )
    .addOption(
      new Option("--format <format>", "report format")
        .choices(["text", "json"] as const)
        .default("text" as const),
    )
    .addHelpText("after", VERIFY_HELP)
    .action(async (options) => {
      context.setExitCode(await runLedgerVerify(options, context.io));
    });
}
