/**
 * Runs `trainguard watch`: prints one line per verdict (JSON lines with --format json), records
 * each as events with --server, and stops cleanly, its state saved, on SIGINT or SIGTERM.
 */
import type { EventInput } from "../events/index.js";
import type { Verdict } from "../scan/index.js";
import { resolveHome } from "../store/index.js";
import type { WatchConfig, WatchOutcome } from "../watch/index.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { recordResults, recordTarget } from "./record-results.js";
import { watchEvents } from "./watch-events.js";

export const WATCH_FORMATS = ["text", "json"] as const;

/** Events kept while the server is down; past this many the oldest are dropped. */
const MAX_BACKLOG = 10_000;

export interface WatchCommandOptions {
  readonly home?: string | undefined;
  readonly settleMs: number;
  readonly rescanInterval: number;
  readonly quarantine?: readonly Verdict[] | undefined;
  readonly server?: string | undefined;
  readonly once?: true | undefined;
  readonly format: (typeof WATCH_FORMATS)[number];
}

function outcomeLine(outcome: WatchOutcome, format: WatchCommandOptions["format"]): string {
  const { result, quarantined } = outcome;
  if (format === "json") {
    return JSON.stringify({
      time: new Date().toISOString(),
      path: outcome.path,
      verdict: result.verdict,
      format: result.format,
      findings: result.findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        message: f.message,
      })),
      quarantined:
        quarantined === undefined
          ? null
          : { id: quarantined.id, storedPath: quarantined.storedPath },
    });
  }
  const first = result.findings[0];
  const why =
    first === undefined || result.verdict === "clean" ? "" : `  ${first.rule}: ${first.message}`;
  const moved = quarantined === undefined ? "" : `  -> quarantined ${quarantined.id}`;
  return `${result.verdict.padEnd(11)} ${outcome.path}${moved}${why}`;
}

export async function runWatch(
  dirs: readonly string[],
  options: WatchCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const target = recordTarget(options.server, io);
  if (target === null) return ExitCode.CouldNotCheck;
  // Events the server did not take yet: sent again with the next verdict and at the end, so a
  // server that is down for a while loses nothing (up to MAX_BACKLOG events).
  let backlog: EventInput[] = [];
  const record = async (events: readonly EventInput[]): Promise<void> => {
    if (target === undefined) return;
    const batch = [...backlog, ...events];
    backlog = (await recordResults(target, batch, io)) ? [] : batch.slice(-MAX_BACKLOG);
  };
  const config: WatchConfig = {
    roots: dirs,
    home: resolveHome(options.home),
    settleMs: options.settleMs,
    rescanIntervalMs: options.rescanInterval * 1000,
    quarantine: new Set<Verdict>(["dangerous", ...(options.quarantine ?? [])]),
    onVerdict: async (outcome) => {
      io.stdout.write(`${outcomeLine(outcome, options.format)}\n`);
      if (target !== undefined) await record(await watchEvents(outcome, target));
    },
    onProblem: (message) => printError(io, message),
  };
  let watch: typeof import("../watch/index.js");
  try {
    watch = await import("../watch/index.js");
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot load the watcher"));
    return ExitCode.CouldNotCheck;
  }
  try {
    if (options.once === true) {
      const summary = await watch.watchOnce(config);
      if (backlog.length > 0) await record([]);
      if (backlog.length > 0) return ExitCode.CouldNotCheck;
      return summary.allClean ? ExitCode.Clean : ExitCode.Findings;
    }
    const running = await watch.startWatcher(config);
    io.stderr.write(`trainguard watching ${dirs.join(", ")}\n`);
    const stop = () => void running.stop();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      await running.done;
    } finally {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
    }
    if (backlog.length > 0) await record([]);
    return backlog.length > 0 ? ExitCode.CouldNotCheck : ExitCode.Clean;
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot watch"));
    return ExitCode.CouldNotCheck;
  }
}
