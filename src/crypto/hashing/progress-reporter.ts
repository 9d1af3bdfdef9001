/**
 * Calls a caller's `onProgress` from the shared byte count: once at the start (0 of the total, so
 * a bar can be drawn at once), at most every PROGRESS_INTERVAL_MS while bytes move, and once at
 * the end with the total. The timer is unref'd: progress never
 * keeps the process alive.
 */
import { PROGRESS_INTERVAL_MS } from "./limits.js";
import type { SharedProgress } from "./shared-progress.js";

export interface ProgressReporter {
  /** Reports `bytesTotal` of `bytesTotal` and stops. */
  finish(): void;
  /** Stops without a last report (on failure). */
  stop(): void;
}

export function startProgressReporter(
  progress: SharedProgress,
  bytesTotal: number,
  onProgress: (bytesDone: number, bytesTotal: number) => void,
): ProgressReporter {
  let reported = 0;
  onProgress(0, bytesTotal);
  const timer = setInterval(() => {
    const done = progress.bytesDone;
    if (done === reported) return;
    reported = done;
    onProgress(done, bytesTotal);
  }, PROGRESS_INTERVAL_MS);
  timer.unref();
  return {
    finish() {
      clearInterval(timer);
      onProgress(bytesTotal, bytesTotal);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
