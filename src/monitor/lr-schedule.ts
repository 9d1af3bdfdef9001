/**
 * The learning rate a declared schedule prescribes for a step (docs/monitor.md). Mirrors PyTorch's
 * StepLR, MultiStepLR, ExponentialLR and CosineAnnealingLR stepped once per optimizer step; the
 * optional warmup is linear: step t < n uses lr × (t + 1) / n.
 */
import type { LrSchedule } from "./telemetry.js";

export function scheduledLr(schedule: LrSchedule, step: number): number {
  const warmup = schedule.warmup ?? 0;
  const factor = warmup > 0 && step < warmup ? (step + 1) / warmup : 1;
  return factor * baseLr(schedule, step);
}

function baseLr(schedule: LrSchedule, step: number): number {
  switch (schedule.kind) {
    case "constant":
      return schedule.lr;
    case "step":
      return schedule.lr * schedule.gamma ** Math.floor(step / Math.max(1, schedule.stepSize));
    case "multistep":
      return schedule.lr * schedule.gamma ** schedule.milestones.filter((m) => m <= step).length;
    case "exponential":
      return schedule.lr * schedule.gamma ** step;
    case "cosine": {
      const t = Math.min(step, schedule.tMax);
      return (
        schedule.etaMin +
        ((schedule.lr - schedule.etaMin) *
          (1 + Math.cos((Math.PI * t) / Math.max(1, schedule.tMax)))) /
          2
      );
    }
  }
}
