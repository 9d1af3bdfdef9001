/**
 * Every rank that ends must end for a reason. A rank killed by a signal with no recorded cause (no
 * OOM, no preemption, not the launcher tearing the job down after another rank failed, not a
 * timeout) was killed by someone: the reference incident's randomly killed processes. A rank that
 * stops reporting while the others exit normally is reported too.
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { ExitRecord, TelemetryRecord } from "../telemetry.js";

/** Reasons (prefixes) that explain a signal or non-zero exit. */
export const EXPLAINED_REASONS = [
  "completed",
  "oom",
  "preempted",
  "timeout",
  "terminated by launcher",
  "cancelled by scheduler",
];

/** Live: how long after a rank's first exit record its launcher's account may still arrive. */
export const EXIT_SETTLE_SECONDS = 10;

function signalOf(exit: ExitRecord): string | undefined {
  if (exit.signal !== undefined && exit.signal !== null && exit.signal !== "") return exit.signal;
  const code = exit.code;
  // A shell reports a process killed by signal N as 128 + N (137 = SIGKILL).
  if (code !== undefined && code !== null && code > 128 && code < 160)
    return `signal ${code - 128}`;
  if (code !== undefined && code !== null && code < 0) return `signal ${-code}`;
  return undefined;
}

export class KillAttribution implements Detector {
  readonly name = "kill_attribution";
  readonly #lastStep = new Map<number, number>();
  readonly #exits = new Map<number, ExitRecord[]>();

  onRecord(record: TelemetryRecord, context: DetectorContext): void {
    if (record.type === "step") {
      this.#lastStep.set(record.rank, Math.max(this.#lastStep.get(record.rank) ?? -1, record.step));
      return;
    }
    if (record.type === "start") {
      this.#exits.delete(record.rank);
      return;
    }
    if (record.type !== "exit") return;
    const exits = [...(this.#exits.get(record.rank) ?? []), record];
    this.#exits.set(record.rank, exits);
    // The launcher's account comes last and knows most: judge at once (it is a parent's waitpid).
    if (record.exitSource === "launcher") this.#judge(record.rank, exits, context);
  }

  /**
   * A rank's exit is judged once every account of it is in: its own record (it saw a signal but
   * not who sent it) and its launcher's (which knows whether it tore the job down, or timed out).
   * Offline that is the end of data; live, EXIT_SETTLE_SECONDS after the first account.
   */
  onTick(now: number, context: DetectorContext): void {
    for (const [rank, exits] of this.#exits) {
      const first = exits[0];
      if (first !== undefined && now - first.time >= EXIT_SETTLE_SECONDS)
        this.#judge(rank, exits, context);
    }
  }

  #judge(rank: number, exits: readonly ExitRecord[], context: DetectorContext): void {
    const failed = exits.filter(
      (e) => signalOf(e) !== undefined || (e.code !== undefined && e.code !== null && e.code !== 0),
    );
    if (failed.length === 0) return;
    const explained = failed.find((e) =>
      EXPLAINED_REASONS.some((r) => (e.reason ?? "").startsWith(r)),
    );
    const record =
      explained ?? failed.find((e) => signalOf(e) !== undefined) ?? (failed[0] as ExitRecord);
    const signal = signalOf(record);
    const reason = record.reason ?? "";
    const step = record.step ?? this.#lastStep.get(rank) ?? null;
    const by = record.exitSource === "launcher" ? " (seen by the launcher)" : "";
    if (explained !== undefined) {
      context.emit({
        severity: "info",
        rank,
        step,
        message: `rank ${rank} ended${signal === undefined ? ` with code ${record.code}` : ` by ${signal}`}: ${reason}`,
        evidence: { code: record.code, signal: signal ?? null, reason, source: record.source },
        key: `explained${rank}`,
      });
      return;
    }
    context.emit({
      severity: signal === undefined ? "warning" : "high",
      rank,
      step,
      message:
        signal === undefined
          ? `rank ${rank} failed with exit code ${record.code} after step ${step ?? "?"}${reason === "" ? "" : ` (${reason})`}${by}`
          : `rank ${rank} was killed by ${signal} after step ${step ?? "?"} with no recorded cause (no OOM, preemption, timeout or launcher action)${by}`,
      evidence: {
        code: record.code,
        signal: signal ?? null,
        reason: reason || null,
        source: record.source,
        accounts: exits.map((e) => ({
          source: e.exitSource ?? null,
          signal: e.signal ?? null,
          code: e.code ?? null,
          reason: e.reason ?? null,
        })),
      },
      key: `fail${rank}`,
    });
  }

  onFinish(context: DetectorContext): void {
    for (const [rank, exits] of this.#exits) this.#judge(rank, exits, context);
    if (this.#exits.size === 0) return;
    for (const [rank, step] of this.#lastStep) {
      if (this.#exits.has(rank)) continue;
      context.emit({
        severity: "warning",
        rank,
        step,
        message: `rank ${rank} stopped reporting after step ${step} without an exit record while other ranks recorded theirs`,
        evidence: { last_step: step },
        key: `vanished${rank}`,
      });
    }
  }
}
