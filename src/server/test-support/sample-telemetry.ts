/**
 * Realistic telemetry for the server's tests and bench: `step` records with every field of
 * docs/monitor.md (a 32-value gradient sketch, digests, optimizer state), about 600 bytes each,
 * and a Monitor with one tiny detector of its own, so the alert path is tested whatever the
 * real detectors decide.
 */
import { createHash } from "node:crypto";
import { type Alert, Monitor, type TelemetryRecord } from "../../monitor/index.js";

const digest = (text: string) => createHash("sha256").update(text).digest("hex");

/** A deterministic pseudo-random value in [-1, 1) for (step, rank, i). */
function noise(step: number, rank: number, i: number): number {
  const x = Math.sin(step * 12.9898 + rank * 78.233 + i * 37.719) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}

export function sampleStepRecord(run: string, rank: number, step: number): Record<string, unknown> {
  const loss = 2.5 * Math.exp(-step / 5000) + 0.01 * noise(step, rank, 99);
  return {
    type: "step",
    run,
    rank,
    world_size: 4,
    time: 1_790_000_000 + step * 0.25 + rank * 0.001,
    step,
    loss: Number(loss.toFixed(6)),
    lr: 0.0003,
    grad_norm: Number((1.2 + 0.1 * noise(step, 0, 1)).toFixed(6)),
    local_grad_norm: Number((1.2 + 0.2 * noise(step, rank, 2)).toFixed(6)),
    grad_sketch: Array.from({ length: 32 }, (_, i) => Number(noise(step, rank, i).toFixed(4))),
    param_digest: step % 100 === 0 ? digest(`p${step}`) : undefined,
    rng_digest: { torch: digest(`t${step}/${rank}`).slice(0, 32) },
    batch_digest: digest(`b${step}/${rank}`).slice(0, 32),
    config_digest: digest("config").slice(0, 32),
    step_time: 0.25,
    wait_time: 0.01,
    optimizer: { lr: 0.0003, momentum: 0.9, weight_decay: 0 },
  };
}

/** Loss above which `BombMonitor` raises its alert. */
export const BOMB_LOSS = 1e6;

/**
 * A Monitor whose only detector flags a step whose loss exceeds BOMB_LOSS; `tick` raises one
 * alert per call once `silence` names a run.
 */
export class BombMonitor extends Monitor {
  silence: string | undefined;

  override add(record: TelemetryRecord): Alert[] {
    if (record.type !== "step" || !((record.loss ?? 0) > BOMB_LOSS)) return [];
    return [
      {
        detector: "loss-bomb",
        severity: "critical",
        run: record.run,
        rank: record.rank,
        step: record.step,
        message: `loss ${record.loss} at step ${record.step} on rank ${record.rank}`,
        evidence: { loss: record.loss, threshold: BOMB_LOSS, ratio: Number.POSITIVE_INFINITY },
      },
    ];
  }

  override tick(now: number): Alert[] {
    if (this.silence === undefined) return [];
    const run = this.silence;
    this.silence = undefined;
    return [
      {
        detector: "silence",
        severity: "warning",
        run,
        rank: null,
        step: null,
        message: `no records from ${run}`,
        evidence: { now },
      },
    ];
  }
}
