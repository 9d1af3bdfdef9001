/**
 * A bytes-hashed progress bar on stderr for `sign` and `verify`. Like the scan bar it draws only
 * on a terminal, and only for enough bytes that hashing takes noticeable time.
 */
import cliProgress from "cli-progress";
import { type ProgressOptions, shouldShowProgress } from "./progress.js";

/** Below this many bytes hashing ends before a bar would be worth drawing. */
export const MIN_BYTES_FOR_BAR = 64 * 1024 * 1024;
const MIB = 1024 * 1024;

export interface ByteProgress {
  readonly onProgress: (bytesDone: number, bytesTotal: number) => void;
  stop(): void;
}

export function createByteProgress(options: ProgressOptions, label: string): ByteProgress {
  if (!shouldShowProgress(options)) return { onProgress: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  return {
    onProgress(done, total) {
      if (bar === undefined) {
        if (!(total >= MIN_BYTES_FOR_BAR)) return;
        bar = new cliProgress.SingleBar(
          {
            stream: options.stream,
            format: `${label} {bar} {percentage}% {doneMiB}/{totalMiB} MiB`,
            clearOnComplete: true,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { doneMiB: 0, totalMiB: Math.round(total / MIB) });
      }
      bar.update(done, { doneMiB: Math.round(done / MIB), totalMiB: Math.round(total / MIB) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
