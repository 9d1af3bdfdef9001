/** `trainguard token create|revoke`: bearer tokens for the server, mapped to principals. */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import type { CommandContext } from "./command-context.js";
import { runTokenCreate, runTokenRevoke } from "./run-token.js";

const EXAMPLES = `
The token is printed once, on stdout; only its SHA-256 is stored.

Examples:
  $ trainguard token create --principal alice
  $ export TRAINGUARD_TOKEN=$(trainguard token create --principal ci-runner --expires-in 30d)
  $ trainguard token create --principal bob --db postgres://db.internal/trainguard --format json
  $ trainguard token revoke 3f9c2a1b7d4e5f60`;

export function registerTokenCommand(program: CommandUnknownOpts, context: CommandContext): void {
  const token = program
    .command("token")
    .summary("create and revoke the server's bearer tokens")
    .description("Create and revoke bearer tokens. Each token maps to a principal.")
    .addHelpText("after", EXAMPLES);
  token
    .command("create")
    .description("create a token for a principal and print it")
    .requiredOption("--principal <name>", "who the token authenticates (user, service, workload)")
    .option("--expires-in <duration>", "lifetime, e.g. 90m, 12h, 30d (default: until revoked)")
    .option("--home <dir>", "home directory; default $TRAINGUARD_HOME or ./.trainguard")
    .option("--db <url>", "PostgreSQL URL instead of SQLite in the home directory")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json"] as const)
        .default("text" as const),
    )
    .action(async (options) => {
      context.setExitCode(await runTokenCreate(options, context.io));
    });
  token
    .command("revoke")
    .description("revoke a token by its id (the 16 hex digits after tg_)")
    .argument("<id>", "token id")
    .option("--home <dir>", "home directory; default $TRAINGUARD_HOME or ./.trainguard")
    .option("--db <url>", "PostgreSQL URL instead of SQLite in the home directory")
    .action(async (id, options) => {
      context.setExitCode(await runTokenRevoke(id, options, context.io));
    });
}
