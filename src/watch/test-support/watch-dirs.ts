/** Temporary folders and a recording config for the watcher's tests. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Verdict } from "../../scan/index.js";
import type { WatchConfig, WatchOutcome } from "../watch-types.js";

export const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

export interface Recorded {
  readonly config: WatchConfig;
  readonly outcomes: WatchOutcome[];
  readonly problems: string[];
}

export function recordingConfig(
  roots: readonly string[],
  home: string,
  overrides: Partial<WatchConfig> = {},
): Recorded {
  const outcomes: WatchOutcome[] = [];
  const problems: string[] = [];
  return {
    outcomes,
    problems,
    config: {
      roots,
      home,
      settleMs: 200,
      rescanIntervalMs: 60_000,
      quarantine: new Set<Verdict>(["dangerous"]),
      onVerdict: (outcome) => {
        outcomes.push(outcome);
      },
      onProblem: (message) => {
        problems.push(message);
      },
      ...overrides,
    },
  };
}

/** Polls `check` every 50 ms until it is true or `timeoutMs` (generous) has passed. */
export async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
