/**
 * `trainguard env verify|snapshot|diff`: Python environment integrity. Each subcommand's work is
 * in its own file; this one only declares the command line.
 */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import type { CommandContext } from "./command-context.js";
import { runEnvDiff } from "./env-diff.js";
import { runEnvSnapshot } from "./env-snapshot.js";
import { runEnvVerify } from "./env-verify.js";
import { collect } from "./option-parsers.js";
import { SERVER_OPTION_HELP } from "./record-results.js";

const VERIFY_HELP = `
Checks every installed file against its package's record (pip/uv RECORD, conda-meta, Debian
md5sums), reports files no record lists inside package directories, startup hooks (.pth import
lines, sitecustomize, usercustomize) and compiled caches that disagree with their sources.

Exit status:
  0  verified (informational hooks a package installed do not count)
  1  findings
  2  could not check (bad usage, PATH not an environment, unreadable record)

Examples:
  $ trainguard env verify .venv
  $ trainguard env verify /opt/conda --format json
  $ trainguard env verify /usr/lib/python3/dist-packages --package torch
  $ trainguard env verify .venv --python .venv/bin/python --format sarif --output env.sarif
  $ trainguard env verify .venv --baseline venv.sig --public-key key.pub.pem`;

const SNAPSHOT_HELP = `
Writes an OpenSSF Model Signing signature over every file below PATH (files mode), so that
'trainguard verify PATH --signature SNAP.sig --allow-symlinks' checks it and 'env verify --baseline' and
'env diff' read it.

Examples:
  $ trainguard env snapshot .venv --private-key key.pem --output venv.sig
  $ trainguard env snapshot /opt/conda --private-key key.pem --certificate-chain chain.pem`;

const DIFF_HELP = `
Compares two snapshots file by file (added, removed, changed), grouped by package. The
signatures are not checked here: check each with 'trainguard verify' first.

Exit status: 0 identical, 1 differences, 2 could not compare.

Examples:
  $ trainguard env diff monday.sig friday.sig
  $ trainguard env diff monday.sig friday.sig --format json`;

export function registerEnvCommand(program: CommandUnknownOpts, context: CommandContext): void {
  const env = program
    .command("env")
    .summary("verify a Python environment against its package records and snapshots")
    .description(
      "Verify a Python environment (venv, conda prefix, site-packages or dist-packages) without " +
        "running Python, make signed snapshots of it, and compare snapshots.",
    );

  env
    .command("verify")
    .summary("check an environment against its package records")
    .argument("<path>", "venv, conda prefix, site-packages or dist-packages directory")
    .addOption(
      new Option("--format <format>", "report format")
        .choices(["text", "json", "sarif"] as const)
        .default("text" as const),
    )
    .option("--output <file>", "write the report to <file> instead of stdout")
    .option("--package <name>", "check only this distribution (repeatable)", collect)
    .option("--python <path>", "interpreter to recompile sources with for the bytecode check")
    .option("--dpkg-info <dir>", "dpkg info directory (default /var/lib/dpkg/info)")
    .option("--baseline <file>", "also check against this snapshot (from 'env snapshot')")
    .option("--public-key <file>", "public key (PEM) the baseline was signed with")
    .option(
      "--certificate <file>",
      "trusted certificate (PEM) for a baseline signed with a certificate (repeatable)",
      collect,
    )
    .option("--server <url>", SERVER_OPTION_HELP)
    .option("--no-progress", "do not draw a progress bar on stderr")
    .option("-q, --quiet", "text format: print only the summary line; no progress bar")
    .addHelpText("after", VERIFY_HELP)
    .action(async (path, options) => {
      context.setExitCode(await runEnvVerify(path, options, context.io));
    });

  env
    .command("snapshot")
    .summary("write a signed baseline of an environment")
    .argument("<path>", "venv, conda prefix, site-packages or dist-packages directory")
    .requiredOption("--private-key <file>", "private key (PEM) to sign with")
    .option(
      "--certificate-chain <file>",
      "signing certificate, then its chain (repeatable)",
      collect,
    )
    .option("--output <file>", "where to write the signature (default <name>.env.sig)")
    .addOption(
      new Option("--hash <algorithm>", "file hash").choices(["sha256", "blake2b"] as const),
    )
    .option("--no-progress", "do not draw a progress bar on stderr")
    .addHelpText("after", SNAPSHOT_HELP)
    .action(async (path, options) => {
      context.setExitCode(await runEnvSnapshot(path, options, context.io));
    });

  env
    .command("diff")
    .summary("compare two environment snapshots")
    .argument("<before>", "the earlier snapshot")
    .argument("<after>", "the later snapshot")
    .addOption(
      new Option("--format <format>", "report format")
        .choices(["text", "json"] as const)
        .default("text" as const),
    )
    .addHelpText("after", DIFF_HELP)
    .action(async (before, after, options) => {
      context.setExitCode(await runEnvDiff(before, after, options, context.io));
    });
}
