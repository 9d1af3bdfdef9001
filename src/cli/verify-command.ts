/** `trainguard verify PATH --signature SIG`: checks a model against its signature. */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import type { CommandContext } from "./command-context.js";
import { SERVER_OPTION_HELP } from "./record-results.js";
import { runVerify } from "./run-verify.js";

const EXAMPLES = `
Exit status:
  0  the signature is valid and every file matches it
  1  verification failed: a finding (changed, missing or extra file, bad signature, policy)
  2  could not check (bad usage, unreadable key, malformed or keyless Sigstore signature)

Examples:
  $ trainguard verify models/bert --signature models/bert/model.sig --public-key key.pub.pem
  $ trainguard verify models/bert --signature bert.sig --certificate-chain ca.pem
  $ trainguard verify models/bert --signature bert.sig --public-key key.pub.pem \\
      --expect-key-hint e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e
  $ trainguard verify models/bert --signature bert.sig --certificate-chain ca.pem \\
      --expect-identity ml-release@example.com --format sarif --output verify.sarif`;

export function registerVerifyCommand(program: CommandUnknownOpts, context: CommandContext): void {
  program
    .command("verify")
    .summary("check a model against its signature (OpenSSF Model Signing)")
    .description(
      "Check that a signature was made by the given key (or a certificate chaining to the " +
        "given roots) and that every file of the model matches it: nothing modified, missing or " +
        "added. Symbolic links and ignore paths the signer chose are refused unless allowed. " +
        "Keyless Sigstore signatures cannot be checked offline and exit 2. Put PATH before " +
        "options that take several values.",
    )
    .argument("<path>", "model directory or file")
    .requiredOption("--signature <file>", "the signature (Sigstore bundle) to check")
    .option("--public-key <file>", "PEM public key the model was signed with")
    .option(
      "--certificate-chain <files...>",
      "PEM certificates to trust (roots, and intermediates)",
    )
    .option(
      "--ignore-paths <paths...>",
      "paths to leave out (besides .git, .gitattributes, .github, .gitignore)",
    )
    .option("--allow-signer-ignore-paths", "accept every path the signer left out of the signature")
    .option("--allow-symlinks", "hash the files symbolic links point to instead of refusing them")
    .option(
      "--expect-key-hint <hex>",
      "require this signing key (hex SHA-256 of its public key PEM)",
    )
    .option(
      "--expect-identity <identity>",
      "require a signing certificate with this SAN, subject or CN",
    )
    .addOption(
      new Option("--format <format>", "report format")
        .choices(["text", "json", "sarif"] as const)
        .default("text" as const),
    )
    .option("--output <file>", "write the report to <file> instead of stdout")
    .option("--server <url>", SERVER_OPTION_HELP)
    .option("--no-progress", "do not draw a progress bar on stderr")
    .addHelpText("after", EXAMPLES)
    .action(async (path, options) => {
      context.setExitCode(await runVerify(path, options, context.io));
    });
}
