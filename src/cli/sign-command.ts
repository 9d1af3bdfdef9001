/** `trainguard sign PATH --private-key KEY.pem`: writes an OpenSSF Model Signing signature. */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import type { CommandContext } from "./command-context.js";
import { parsePositiveInteger } from "./option-parsers.js";
import { runSign } from "./run-sign.js";

const EXAMPLES = `
Exit status:
  0  the signature was written
  2  the model could not be signed (bad usage, unreadable key, symbolic link, no files)

Examples:
  $ trainguard sign models/bert --private-key signing-key.pem
  $ trainguard sign model.safetensors --private-key key.pem --signature model.safetensors.sig
  $ trainguard sign models/bert --private-key key.pem --certificate-chain leaf.pem intermediate.pem
  $ trainguard sign models/llm --private-key key.pem --serialization shards --hash blake2b
  $ trainguard sign models/bert --private-key key.pem --ignore-paths models/bert/README.md`;

export function registerSignCommand(program: CommandUnknownOpts, context: CommandContext): void {
  program
    .command("sign")
    .summary("sign a model (OpenSSF Model Signing v1.0)")
    .description(
      "Hash every file of a model (a directory or one file) and sign the list with an ECDSA " +
        "P-256 or P-384 key, optionally with its certificate chain. The signature is a Sigstore " +
        "bundle v0.3 that the reference model_signing tool verifies. Put PATH before options " +
        "that take several values.",
    )
    .argument("<path>", "model directory or file")
    .requiredOption("--private-key <file>", "PEM ECDSA private key (P-256 or P-384)")
    .option(
      "--certificate-chain <files...>",
      "PEM certificates for the key: signing certificate first, then its issuers",
    )
    .option(
      "--signature <file>",
      "where to write the signature (default: PATH/model.sig, or PATH.sig for a file)",
    )
    .addOption(
      new Option("--serialization <method>", "one digest per file, or per shard of a file")
        .choices(["files", "shards"] as const)
        .default("files" as const),
    )
    .option("--shard-size <bytes>", "shard size for --serialization shards", parsePositiveInteger)
    .addOption(
      new Option("--hash <algorithm>", "digest algorithm")
        .choices(["sha256", "blake2b"] as const)
        .default("sha256" as const),
    )
    .option(
      "--ignore-paths <paths...>",
      "paths to leave out (besides .git, .gitattributes, .github, .gitignore)",
    )
    .option("--allow-symlinks", "hash the files symbolic links point to instead of refusing them")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["text", "json"] as const)
        .default("text" as const),
    )
    .option("--no-progress", "do not draw a progress bar on stderr")
    .addHelpText("after", EXAMPLES)
    .action(async (path, options) => {
      context.setExitCode(await runSign(path, options, context.io));
    });
}
