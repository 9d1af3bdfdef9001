/**
 * A progress bar on stderr for scans of several files. It draws only on a terminal, so piped or
 * redirected output (and CI logs) never contain cursor movement, and it is cleared before the
 * report is written.
 */
import cliProgress from "cli-progress";
import type { ScanProgress } from "../scan/index.js";
import { printable } from "../scan/report/index.js";

export interface ProgressOptions {
  /** `--progress` (on unless `--no-progress`) and not `--quiet`. */
  readonly wanted: boolean;
  readonly stream: NodeJS.WritableStream & { readonly isTTY?: boolean | undefined };
}

export interface Progress {
  readonly onProgress: ScanProgress;
  /** Stops and clears the bar; safe to call when it never started. */
  stop(): void;
}

/** Longest file name shown beside the bar, so the line does not wrap on a narrow terminal. */
const MAX_NAME = 40;

function shortName(path: string): string {
  const safe = printable(path);
  return safe.length <= MAX_NAME ? safe : `…${safe.slice(-(MAX_NAME - 1))}`;
}

export function shouldShowProgress(options: ProgressOptions): boolean {
  return options.wanted && options.stream.isTTY === true;
}

export function createProgress(options: ProgressOptions): Progress {
  if (!shouldShowProgress(options)) return { onProgress: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  return {
    onProgress(done, total, path) {
      // One file needs no bar; the bar starts with the first report of a multi-file scan.
      if (bar === undefined) {
        if (total <= 1) return;
        bar = new cliProgress.SingleBar(
          {
            stream: options.stream,
            format: "Scanning {bar} {value}/{total} {file}",
            clearOnComplete: true,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { file: "" });
      }
      bar.update(done, { file: shortName(path) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
