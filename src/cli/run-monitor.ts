/** Runs `trainguard monitor analyze` and `trainguard monitor compare`. */
import { writeFile } from "node:fs/promises";
import type { Alert } from "../monitor/index.js";
import { SEVERITIES } from "../monitor/telemetry.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

export const MONITOR_FORMATS = ["text", "json"] as const;

export interface AnalyzeCommandOptions {
  readonly format: (typeof MONITOR_FORMATS)[number];
  readonly output?: string | undefined;
  readonly hangSeconds?: number | undefined;
  readonly minSeverity?: Alert["severity"] | undefined;
}

export interface CompareCommandOptions {
  readonly format: (typeof MONITOR_FORMATS)[number];
  readonly output?: string | undefined;
  readonly runA?: string | undefined;
  readonly runB?: string | undefined;
}

/** Loaded on first use, so `--help` does not load the readers. */
const load = async () => ({
  ...(await import("../monitor/analyze.js")),
  ...(await import("../monitor/compare.js")),
  ...(await import("../monitor/render-text.js")),
  ...(await import("../monitor/readers/index.js")),
});

async function emit(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined) io.stdout.write(text);
  else await writeFile(output, text);
}

export async function runMonitorAnalyze(
  paths: readonly string[],
  options: AnalyzeCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  try {
    const m = await load();
    const read = await m.readTelemetry(paths);
    if (read.records.length === 0) {
      printError(io, `Cannot analyze telemetry: no records found in ${paths.join(", ")}`);
      for (const problem of read.problems.slice(0, 5))
        printError(io, `${problem.source}: ${problem.message}`);
      return ExitCode.CouldNotCheck;
    }
    const full = m.analyzeRecords(read.records, { hangSeconds: options.hangSeconds });
    const floor = SEVERITIES.indexOf(options.minSeverity ?? "info");
    const report = {
      runs: full.runs.map((r) => ({
        ...r,
        alerts: r.alerts.filter((a) => SEVERITIES.indexOf(a.severity) >= floor),
      })),
    };
    const text =
      options.format === "json"
        ? `${JSON.stringify(
            {
              runs: report.runs.map((r) => ({
                run: r.run,
                alerts: r.alerts.map(({ run: _run, ...alert }) => alert),
                ranks: r.ranks,
                records: r.records,
                last_step: r.lastStep,
              })),
              files: read.files.length,
              problems: read.problems,
            },
            null,
            2,
          )}\n`
        : m.analysisText(report, read.problems);
    await emit(text, options.output, io);
    return full.runs.some((r) => r.alerts.some(m.isSevere)) ? ExitCode.Findings : ExitCode.Clean;
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot analyze telemetry"));
    return ExitCode.CouldNotCheck;
  }
}

function pickRun(
  label: string,
  path: string,
  runs: readonly string[],
  wanted: string | undefined,
): string {
  if (wanted !== undefined) {
    if (!runs.includes(wanted)) {
      throw new Error(
        `Cannot compare runs: ${path} has no run "${wanted}" (it has ${runs.map((r) => `"${r}"`).join(", ") || "none"})`,
      );
    }
    return wanted;
  }
  if (runs.length === 1) return runs[0] as string;
  throw new Error(
    runs.length === 0
      ? `Cannot compare runs: ${path} holds no telemetry`
      : `Cannot compare runs: ${path} holds ${runs.length} runs (${runs.slice(0, 5).join(", ")}); choose one with --run-${label}`,
  );
}

export async function runMonitorCompare(
  a: string,
  b: string,
  options: CompareCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  try {
    const m = await load();
    const left = await m.readTelemetry([a]);
    const right = a === b ? left : await m.readTelemetry([b]);
    const runsOf = (records: typeof left.records) => [...new Set(records.map((r) => r.run))];
    const runA = pickRun("a", a, runsOf(left.records), options.runA);
    const runB = pickRun("b", b, runsOf(right.records), options.runB);
    const report = m.compareRuns(
      { run: runA, records: left.records },
      { run: runB, records: right.records },
    );
    const text =
      options.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : m.compareText(report);
    await emit(text, options.output, io);
    if (report.compared_steps === 0) {
      printError(io, `Cannot compare runs: "${runA}" and "${runB}" have no step in common`);
      return ExitCode.CouldNotCheck;
    }
    return report.identical ? ExitCode.Clean : ExitCode.Findings;
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot compare runs"));
    return ExitCode.CouldNotCheck;
  }
}
