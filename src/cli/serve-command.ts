/** `trainguard serve`: the control-plane server and its tamper-evident ledger. */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { DEFAULT_HOST, DEFAULT_PORT } from "../server/server-config.js";
import type { CommandContext } from "./command-context.js";
import { collect } from "./option-parsers.js";
import { parsePort } from "./port-option.js";
import { LOG_LEVELS, runServe } from "./run-serve.js";

const EXAMPLES = `
The first line on stdout is "trainguard listening on <URL>"; logs (JSON, pino) go to stderr.
SIGTERM or SIGINT finish the requests in flight, sign a final checkpoint and exit 0.

Examples:
  $ trainguard serve
  $ trainguard serve --port 0 --home /var/lib/trainguard
  $ trainguard serve --db postgres://trainguard@db.internal/trainguard --host 0.0.0.0
  $ trainguard serve --public-ledger --witness-key witness.key
  $ trainguard serve --webhook https://hooks.example/trainguard --webhook http://10.0.0.5:9000/alerts`;

export function registerServeCommand(program: CommandUnknownOpts, context: CommandContext): void {
  program
    .command("serve")
    .summary("run the trainguard server and its tamper-evident ledger")
    .description(
      "Run the HTTP server that records events in an append-only Merkle-tree ledger with signed " +
        "checkpoints (C2SP tlog-checkpoint) and serves proofs and tiles. SQLite in the home " +
        "directory by default; PostgreSQL with --db, shared safely by several servers.",
    )
    .option(
      "--home <dir>",
      "home directory (log key, SQLite database); default $TRAINGUARD_HOME or ./.trainguard",
    )
    .option("--port <n>", "TCP port; 0 picks a free one", parsePort, DEFAULT_PORT)
    .option("--host <address>", "address to listen on", DEFAULT_HOST)
    .option("--db <url>", "PostgreSQL URL (postgres://…) instead of SQLite in the home directory")
    .option("--public-ledger", "serve checkpoint, tiles, entries and proofs without a token")
    .option(
      "--origin <origin>",
      "checkpoint origin for a new log key (default trainguard.local/ledger)",
    )
    .option(
      "--witness-key <file>",
      "cosignature/v1 key file: every checkpoint is also cosigned with it",
    )
    .option(
      "--webhook <url>",
      "POST every monitor alert as JSON to this http(s) URL, in the background (repeatable)",
      collect,
    )
    .addOption(
      new Option("--log-level <level>", "log level").choices(LOG_LEVELS).default("info" as const),
    )
    .addHelpText("after", EXAMPLES)
    .action(async (options) => {
      context.setExitCode(await runServe(options, context.io));
    });
}
