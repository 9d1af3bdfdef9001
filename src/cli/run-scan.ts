/** Runs `trainguard scan`: builds the scan options, scans, and writes the report. */
import { writeFile } from "node:fs/promises";
import type { ScanLimits, ScanOptions, ScanReport } from "../scan/index.js";
import { toJson, toSarif, toText } from "../scan/report/index.js";
import { cannotMessage, errorMessage, printError } from "./errors.js";
import { ExitCode, exitCodeForSummary } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { createProgress } from "./progress.js";
import { recordResults, recordTarget } from "./record-results.js";
import { scanEvents } from "./result-events.js";

export const REPORT_FORMATS = ["text", "json", "sarif"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The options commander parsed for `scan`. */
export interface ScanCommandOptions {
  readonly format: ReportFormat;
  readonly allow?: readonly string[] | undefined;
  readonly config?: string | undefined;
  readonly output?: string | undefined;
  readonly maxReadBytes?: number | undefined;
  readonly maxDecompressedBytes?: number | undefined;
  readonly maxOpcodes?: number | undefined;
  readonly progress: boolean;
  readonly quiet?: true | undefined;
  readonly server?: string | undefined;
}

/**
 * The scanner is loaded on first use, so `--help` and `--version` do not load every format
 * parser.
 */
const loadScanner = () => import("../scan/index.js");

type Scanner = Awaited<ReturnType<typeof loadScanner>>;

/** Config file first, then the command line: `--allow` adds to the config's list, limits override. */
async function scanOptions(scanner: Scanner, options: ScanCommandOptions): Promise<ScanOptions> {
  const base: ScanOptions =
    options.config === undefined ? {} : await scanner.loadScanConfig(options.config);
  const limits: Partial<ScanLimits> = {
    ...base.limits,
    ...(options.maxReadBytes === undefined ? {} : { maxReadBytes: options.maxReadBytes }),
    ...(options.maxDecompressedBytes === undefined
      ? {}
      : { maxDecompressedBytes: options.maxDecompressedBytes }),
    ...(options.maxOpcodes === undefined ? {} : { maxOpcodes: options.maxOpcodes }),
  };
  const allow = (options.allow ?? []).map((entry) => scanner.checkAllowEntry(entry));
  return { allow: [...(base.allow ?? []), ...allow], limits };
}

export function renderReport(report: ScanReport, options: ScanCommandOptions, io: CliIo): string {
  switch (options.format) {
    case "json":
      return toJson(report);
    case "sarif":
      return toSarif(report, { srcRoot: io.cwd });
    case "text":
      return toText(report, {
        color: io.color && options.output === undefined,
        quiet: options.quiet === true,
      });
  }
}

async function writeReport(text: string, options: ScanCommandOptions, io: CliIo): Promise<boolean> {
  if (options.output === undefined) {
    io.stdout.write(`${text}\n`);
    return true;
  }
  try {
    await writeFile(options.output, `${text}\n`);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    printError(
      io,
      `Cannot write the report to "${options.output}": ${code ?? errorMessage(error)}`,
    );
    return false;
  }
}

export async function runScan(
  paths: readonly string[],
  options: ScanCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const target = recordTarget(options.server, io);
  if (target === null) return ExitCode.CouldNotCheck;
  let scanner: Scanner;
  try {
    scanner = await loadScanner();
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot load the scanner"));
    return ExitCode.CouldNotCheck;
  }
  const progress = createProgress({
    wanted: options.progress && options.quiet !== true,
    stream: io.stderr,
  });
  let report: ScanReport;
  try {
    report = await scanner.scanPath(
      paths,
      await scanOptions(scanner, options),
      progress.onProgress,
    );
  } catch (error) {
    progress.stop();
    const known = error instanceof scanner.ScanError;
    printError(
      io,
      cannotMessage(error, known ? "Cannot scan" : "Cannot complete the scan (internal error)"),
    );
    return ExitCode.CouldNotCheck;
  }
  progress.stop();
  if (!(await writeReport(renderReport(report, options, io), options, io)))
    return ExitCode.CouldNotCheck;
  if (
    target !== undefined &&
    !(await recordResults(target, await scanEvents(report, io.cwd, target), io))
  ) {
    return ExitCode.CouldNotCheck;
  }
  return exitCodeForSummary(report.summary);
}
