/** Every detector, in the order their alerts are listed. */
import type { Detector } from "../detector.js";
import { CheckpointChain } from "./checkpoint-chain.js";
import { DataOrder } from "./data-order.js";
import { EnvironmentDrift } from "./environment.js";
import { GradientOutlier } from "./gradient-outlier.js";
import { Hang } from "./hang.js";
import { KillAttribution } from "./kill-attribution.js";
import { LogRollback } from "./log-rollback.js";
import { OptimizerAudit } from "./optimizer-audit.js";
import { ReplicaDivergence } from "./replica-divergence.js";
import { SeedProvenance } from "./seed-provenance.js";
import { Spike } from "./spike.js";
import { Straggler } from "./straggler.js";

export interface DetectorOptions {
  readonly hangSeconds?: number | undefined;
}

export const DETECTOR_NAMES = [
  "replica_divergence",
  "gradient_outlier",
  "seed_provenance",
  "optimizer_audit",
  "checkpoint_chain",
  "log_rollback",
  "spike",
  "hang",
  "straggler",
  "kill_attribution",
  "environment",
] as const;

export function createDetectors(options: DetectorOptions = {}): Detector[] {
  return [
    new ReplicaDivergence(),
    new GradientOutlier(),
    new SeedProvenance(),
    new DataOrder(),
    new OptimizerAudit(),
    new CheckpointChain(),
    new LogRollback(),
    new Spike(),
    new Hang(options.hangSeconds),
    new Straggler(),
    new KillAttribution(),
    new EnvironmentDrift(),
  ];
}
