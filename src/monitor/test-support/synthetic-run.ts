/**
 * Telemetry of a made-up 4-rank data-parallel run, deterministic from a seed, with one sabotage
 * injected on request. It models what the detectors look at (replicas agree, pre-reduce gradients
 * share a direction with per-rank noise, ranks wait for each other) so each detector's rules can be
 * tested on their own; the recorded real runs in fixtures/monitor/ test them end to end.
 */
import type { TelemetryRecord } from "../telemetry.js";

export type Sabotage =
  | "noise"
  | "flip"
  | "optim_one"
  | "optim_all"
  | "lr"
  | "sleep"
  | "hang"
  | "kill"
  | "seed";

export interface SyntheticOptions {
  readonly run?: string;
  readonly ranks?: number;
  readonly steps?: number;
  readonly seed?: number;
  readonly sabotage?: { readonly kind: Sabotage; readonly rank: number; readonly from: number };
}

const T0 = 1_700_000_000;
const STEP_SECONDS = 0.05;
const SKETCH = 32;

/** Mulberry32: a small seeded generator, so a test's random input replays. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

function hex(...parts: unknown[]): string {
  // Not a real digest: distinct, stable strings are all the detectors compare.
  return parts.map(String).join("-");
}

export function syntheticRun(options: SyntheticOptions = {}): TelemetryRecord[] {
  const run = options.run ?? "synthetic";
  const ranks = options.ranks ?? 4;
  const steps = options.steps ?? 60;
  const seed = options.seed ?? 1;
  const sabotage = options.sabotage;
  const random = prng(seed * 7919 + ranks);
  const records: TelemetryRecord[] = [];
  const active = (kind: Sabotage, step: number) => sabotage?.kind === kind && step >= sabotage.from;
  const on = (kind: Sabotage, rank: number, step: number) =>
    active(kind, step) && sabotage?.rank === rank;
  for (let rank = 0; rank < ranks; rank++) {
    const state = hex("rng", seed);
    records.push({
      type: "start",
      run,
      rank,
      time: T0,
      worldSize: ranks,
      seed,
      configDigest: "cfg",
      envDigest: "env",
      rngDigest: { torch: sabotage?.kind === "seed" ? hex("rng", seed + 1) : state },
      rngExpected: { torch: state },
      initParamDigest: hex("init", seed),
      lrSchedule: { kind: "constant", lr: 0.1 },
      hparams: { momentum: 0.9 },
      startupHooks: sabotage?.kind === "seed" ? ["sitecustomize: /tmp/hook/sitecustomize.py"] : [],
    });
  }
  let time = T0 + 1;
  let sleptRank = -1;
  const stopAt = sabotage?.kind === "hang" || sabotage?.kind === "kill" ? sabotage.from : steps;
  for (let step = 0; step < stopAt; step++) {
    const common = Array.from({ length: SKETCH }, () => gaussian(random));
    const sleeper =
      sabotage?.kind === "sleep" && step >= sabotage.from && random() < 0.3 ? sabotage.rank : -1;
    time += STEP_SECONDS + (sleptRank >= 0 ? 0.3 : 0);
    for (let rank = 0; rank < ranks; rank++) {
      let sketch = common.map((c) => c + gaussian(random));
      if (on("noise", rank, step)) sketch = sketch.map((v) => v + 5 * gaussian(random));
      if (on("flip", rank, step)) sketch = sketch.map((v) => -v);
      const norm = Math.sqrt(sketch.reduce((s, v) => s + v * v, 0)) * (1 + 0.05 * gaussian(random));
      const divergedRank = on("optim_one", rank, step);
      const lr = on("lr", rank, step) ? 0.3 : 0.1;
      records.push({
        type: "step",
        run,
        rank,
        time: time + 0.001 * rank,
        step,
        worldSize: ranks,
        loss: 2 * Math.exp(-step / 50) + 0.01 * gaussian(random),
        lr,
        gradNorm: 1 + 0.01 * Math.sin(step),
        localGradNorm: norm,
        gradSketch: sketch,
        paramDigest: divergedRank ? hex("p", seed, step, "x") : hex("p", seed, step),
        batchDigest: hex("b", seed, step, rank),
        stepTime: STEP_SECONDS,
        waitTime: sleptRank >= 0 ? (rank === sleptRank ? 0.001 : 0.3) : 0.01 * random(),
        optimizer: { lr, momentum: 0.9 },
        updateRelErr: active("optim_all", step) ? 0.5 : 1e-7,
      });
    }
    sleptRank = sleeper;
    if (Math.floor(time * 2) !== Math.floor((time - STEP_SECONDS) * 2)) {
      for (let rank = 0; rank < ranks; rank++) {
        records.push({
          type: "heartbeat",
          run,
          rank,
          time: time + 0.01,
          step,
          stack: ["train:main", "train:train_step"],
        });
      }
    }
  }
  if (sabotage?.kind === "hang") {
    for (let beat = 1; beat <= 20; beat++) {
      for (let rank = 0; rank < ranks; rank++) {
        const stack =
          rank === sabotage.rank
            ? ["train:main", "train:stall"]
            : ["train:main", "torch.autograd:backward"];
        records.push({
          type: "heartbeat",
          run,
          rank,
          time: time + 0.5 * beat,
          step: sabotage.from - 1,
          stack,
        });
      }
    }
    for (let rank = 0; rank < ranks; rank++) {
      records.push({
        type: "exit",
        run,
        rank,
        time: time + 10.2,
        step: sabotage.from - 1,
        code: null,
        signal: "SIGTERM",
        reason: "timeout",
        exitSource: "launcher",
      });
    }
  } else if (sabotage?.kind === "kill") {
    records.push({
      type: "exit",
      run,
      rank: sabotage.rank,
      time: time + 0.1,
      code: null,
      signal: "SIGKILL",
      exitSource: "launcher",
    });
    for (let rank = 0; rank < ranks; rank++) {
      if (rank === sabotage.rank) continue;
      records.push({
        type: "exit",
        run,
        rank,
        time: time + 2,
        code: null,
        signal: "SIGTERM",
        reason: `terminated by launcher after rank ${sabotage.rank} failed`,
        exitSource: "launcher",
      });
    }
  } else {
    for (let rank = 0; rank < ranks; rank++) {
      records.push({
        type: "exit",
        run,
        rank,
        time: time + 0.2,
        step: steps - 1,
        code: 0,
        signal: null,
        reason: "completed",
        exitSource: "self",
      });
    }
  }
  return records;
}
