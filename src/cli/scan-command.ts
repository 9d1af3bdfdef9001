/** `trainguard scan <paths...>`: the command line of the model-file scanner. */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import type { CommandContext } from "./command-context.js";
import { collect, parsePositiveInteger } from "./option-parsers.js";
import { SERVER_OPTION_HELP } from "./record-results.js";
import { REPORT_FORMATS, runScan } from "./run-scan.js";

const EXAMPLES = `
Exit status:
  0  every file is clean
  1  a file is suspicious, dangerous or could not be checked completely
  2  the scan could not run (bad usage, missing path, unreadable config)

Examples:
  $ trainguard scan model.pt
  $ trainguard scan checkpoints/ --format json --output scan.json
  $ trainguard scan models/ --format sarif --output trainguard.sarif --no-progress
  $ trainguard scan model.bin --allow mylib.layers.CustomLayer --allow 'mylib.blocks.*'
  $ trainguard scan shared/ --config trainguard-scan.json --max-opcodes 20000000`;

export function registerScanCommand(program: CommandUnknownOpts, context: CommandContext): void {
  program
    .command("scan")
    .summary("check model files for code that runs when they are loaded")
    .description(
      "Check model files (PyTorch, pickle, NumPy, zip archives) for code that runs when they " +
        "are loaded. Directories are walked; symbolic links are never followed out of the tree. " +
        "A file that cannot be checked completely is reported as unscannable, never as clean.",
    )
    .argument("<paths...>", "files or directories to scan")
    .addOption(
      new Option("--format <format>", "report format")
        .choices(REPORT_FORMATS)
        .default("text" as const),
    )
    .option(
      "--allow <name>",
      "treat a global as harmless: module.name, or module.* for a whole module (repeatable)",
      collect,
    )
    .option("--config <file>", 'JSON scan config: {"allow": [...], "limits": {...}}')
    .option("--output <file>", "write the report to <file> instead of stdout")
    .option("--max-read-bytes <n>", "largest file or member read into memory", parsePositiveInteger)
    .option(
      "--max-decompressed-bytes <n>",
      "largest output of one decompression (zip-bomb guard)",
      parsePositiveInteger,
    )
    .option("--max-opcodes <n>", "most opcodes run per pickle stream", parsePositiveInteger)
    .option("--server <url>", SERVER_OPTION_HELP)
    .option("--no-progress", "do not draw a progress bar on stderr")
    .option("-q, --quiet", "text format: print only the summary line; no progress bar")
    .addHelpText("after", EXAMPLES)
    .action(async (paths, options) => {
      context.setExitCode(await runScan(paths, options, context.io));
    });
}
