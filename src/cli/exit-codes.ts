/**
 * Exit statuses shared by every command (DESIGN.md, "Conventions every command follows"). Never 0
 * for something that was not fully checked: an unscannable file exits 1, a scan that could not
 * run exits 2.
 */
import type { ScanSummary } from "../scan/index.js";

export const ExitCode = {
  /** Everything checked is clean. */
  Clean: 0,
  /** Something checked is suspicious, dangerous or could not be checked completely. */
  Findings: 1,
  /** The check could not run: bad usage, a missing path, an unreadable config, an internal error. */
  CouldNotCheck: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeForSummary(summary: ScanSummary): ExitCode {
  return summary.clean === summary.files ? ExitCode.Clean : ExitCode.Findings;
}
