/** `trainguard monitor analyze|compare`: training telemetry through the sabotage detectors. */
import { type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { SEVERITIES } from "../monitor/telemetry.js";
import type { CommandContext } from "./command-context.js";
import { parsePositiveNumber } from "./option-parsers.js";
import { MONITOR_FORMATS, runMonitorAnalyze, runMonitorCompare } from "./run-monitor.js";

const ANALYZE_HELP = `
Reads trainguard telemetry (JSON lines), plain JSONL metric logs, TensorBoard event files and
MLflow file stores; directories are walked. Wire format and detectors: docs/monitor.md.

Exit status:
  0  no alert is high or critical
  1  an alert is high or critical
  2  nothing could be analyzed (missing path, no records, bad usage)

Examples:
  $ trainguard monitor analyze telemetry/
  $ trainguard monitor analyze runs/ --format json --output alerts.json
  $ trainguard monitor analyze tb_logs/ mlruns/ --min-severity warning`;

const COMPARE_HELP = `
Reports the first step where two runs with the same seed and configuration stop being identical
(parameters, loss, gradient norms, learning rate, batch indices, RNG states, rank by rank).

Exit status:
  0  identical over every common step
  1  the runs diverge (or declare different seeds or configurations)
  2  the runs could not be compared (missing path, no common step, ambiguous run)

Examples:
  $ trainguard monitor compare telemetry/run-a telemetry/run-b
  $ trainguard monitor compare telemetry/ telemetry/ --run-a 7f3e --run-b 9c01 --format json`;

export function registerMonitorCommand(program: CommandUnknownOpts, context: CommandContext): void {
  const monitor = program
    .command("monitor")
    .summary("catch silent training sabotage and disruption in telemetry")
    .description(
      "Analyze training telemetry for sabotage and disruption: replicas that diverge, ranks whose " +
        "gradients are poisoned before all-reduce, changed seeds, tampered optimizers, altered or " +
        "rolled-back checkpoints, hangs, stragglers and unexplained kills.",
    );
  monitor
    .command("analyze")
    .description("run every detector over telemetry files and report alerts per run")
    .argument("<paths...>", "telemetry files or directories")
    .addOption(
      new Option("--format <format>", "report format")
        .choices(MONITOR_FORMATS)
        .default("text" as const),
    )
    .option("--output <file>", "write the report to <file> instead of stdout")
    .option(
      "--hang-seconds <s>",
      "least silence, in seconds, reported as a hang (default 3)",
      parsePositiveNumber,
    )
    .addOption(
      new Option(
        "--min-severity <severity>",
        "list only alerts at or above this severity (exit status is unchanged)",
      )
        .choices(SEVERITIES)
        .default("info" as const),
    )
    .addHelpText("after", ANALYZE_HELP)
    .action(async (paths, options) => {
      context.setExitCode(await runMonitorAnalyze(paths, options, context.io));
    });
  monitor
    .command("compare")
    .description("find the first step where two runs stop being bitwise identical")
    .argument("<run-a>", "telemetry file or directory of the first run")
    .argument("<run-b>", "telemetry file or directory of the second run")
    .option("--run-a <id>", "run id to take from <run-a> when it holds several runs")
    .option("--run-b <id>", "run id to take from <run-b> when it holds several runs")
    .addOption(
      new Option("--format <format>", "report format")
        .choices(MONITOR_FORMATS)
        .default("text" as const),
    )
    .option("--output <file>", "write the report to <file> instead of stdout")
    .addHelpText("after", COMPARE_HELP)
    .action(async (a, b, options) => {
      context.setExitCode(await runMonitorCompare(a, b, options, context.io));
    });
}
