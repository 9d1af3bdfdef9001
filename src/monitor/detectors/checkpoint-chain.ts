/**
 * A resumed run must continue from the last good checkpoint it saved, byte for byte and weight for
 * weight. For every `checkpoint` load: the file must be one this run saved (same digest as the
 * save record for that path or step), the parameters right after loading must match those saved
 * (a pickle payload can rewrite weights while loading: the file may even be unchanged), and it must
 * be the newest checkpoint saved, not an older one. Live, ranks deliver at their own pace: a
 * rank's load may arrive before rank 0's save record, so every load is judged again when a save
 * arrives (alerts are raised once), and "not saved by this run" waits for the end of data.
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { CheckpointRecord, TelemetryRecord } from "../telemetry.js";

export class CheckpointChain implements Detector {
  readonly name = "checkpoint_chain";
  readonly #saves: CheckpointRecord[] = [];
  readonly #loads: CheckpointRecord[] = [];

  onRecord(record: TelemetryRecord, context: DetectorContext): void {
    if (record.type !== "checkpoint") return;
    if (record.action === "save") {
      this.#saves.push(record);
      for (const load of this.#loads) this.#checkLoad(load, context, false);
      return;
    }
    this.#loads.push(record);
    this.#checkLoad(record, context, false);
  }

  onFinish(context: DetectorContext): void {
    for (const load of this.#loads) this.#checkLoad(load, context, true);
  }

  /** Saves that could be the source of `load`: its rank's or rank 0's, recorded before it. */
  #candidates(load: CheckpointRecord): CheckpointRecord[] {
    return this.#saves.filter(
      (s) => (s.rank === load.rank || s.rank === 0) && !(s.time > load.time),
    );
  }

  #checkLoad(load: CheckpointRecord, context: DetectorContext, final: boolean): void {
    const saves = this.#candidates(load);
    if (saves.length === 0) {
      if (!final) return;
      context.emit({
        severity: "info",
        rank: load.rank,
        step: load.step ?? null,
        message: `rank ${load.rank} loaded ${load.path ?? "a checkpoint"} that this run did not save`,
        evidence: { path: load.path, digest: load.digest },
        key: `foreign${load.rank}${load.digest ?? ""}`,
      });
      return;
    }
    const byDigest = saves.find((s) => s.digest !== undefined && s.digest === load.digest);
    const byPlace = [...saves]
      .reverse()
      .find(
        (s) =>
          (load.path !== undefined && s.path === load.path) ||
          (load.step !== undefined && s.step === load.step),
      );
    // Live, the matching save may still be on its way: only the end of data proves it never was.
    if (byDigest === undefined && byPlace === undefined && !final) return;
    const saved = byDigest ?? byPlace;
    const step = load.step ?? saved?.step ?? null;
    if (byDigest === undefined && load.digest !== undefined) {
      context.emit({
        severity: "critical",
        rank: load.rank,
        step,
        message:
          byPlace === undefined
            ? `rank ${load.rank} loaded ${load.path ?? "a checkpoint"} whose bytes match no checkpoint this run saved`
            : `rank ${load.rank} loaded ${load.path ?? "the checkpoint"} of step ${byPlace.step ?? "?"}, but the file changed since it was saved`,
        evidence: {
          path: load.path,
          digest: load.digest,
          saved_digest: byPlace?.digest,
          saved_path: byPlace?.path,
        },
        key: `file${load.rank}${load.digest}`,
      });
    }
    if (
      saved !== undefined &&
      saved.paramDigest !== undefined &&
      load.paramDigest !== undefined &&
      saved.paramDigest !== load.paramDigest
    ) {
      context.emit({
        severity: "critical",
        rank: load.rank,
        step,
        message:
          `rank ${load.rank}'s parameters after loading ${load.path ?? "the checkpoint"} differ from the ` +
          `parameters saved at step ${saved.step ?? "?"}: the weights were altered`,
        evidence: {
          param_digest: load.paramDigest,
          saved_param_digest: saved.paramDigest,
          path: load.path,
        },
        key: `params${load.rank}${load.paramDigest}`,
      });
    }
    const newest = saves.reduce((a, b) => ((b.step ?? -1) > (a.step ?? -1) ? b : a));
    if (load.step !== undefined && newest.step !== undefined && load.step < newest.step) {
      context.emit({
        severity: "high",
        rank: load.rank,
        step: load.step,
        message:
          `rank ${load.rank} resumed from the checkpoint of step ${load.step} although step ${newest.step} ` +
          `was saved later: ${newest.step - load.step} steps of training were rolled back`,
        evidence: {
          loaded_step: load.step,
          newest_saved_step: newest.step,
          newest_path: newest.path,
          path: load.path,
        },
        key: `older${load.rank}${load.step}`,
      });
    }
  }
}
