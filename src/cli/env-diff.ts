/** Runs `trainguard env diff A B`: compares two snapshots and prints what changed. */
import type { SnapshotDiff } from "../envcheck/index.js";
import { printable } from "../scan/report/index.js";
import { readInput, writeOutput } from "./env-output.js";
import { cannotMessage, printError } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";

export interface EnvDiffOptions {
  readonly format: "text" | "json";
}

function diffJson(diff: SnapshotDiff): string {
  return JSON.stringify(
    {
      counts: diff.counts,
      changes: diff.entries.map((entry) => ({
        change: entry.change,
        path: entry.path,
        package: entry.package,
      })),
    },
    null,
    2,
  );
}

const MARK = { added: "+", removed: "-", changed: "~" } as const;

function diffText(diff: SnapshotDiff): string {
  const { added, removed, changed } = diff.counts;
  const lines = [
    added + removed + changed === 0
      ? "The snapshots list the same files with the same digests"
      : `${added} added, ${removed} removed, ${changed} changed`,
  ];
  const keys = [...diff.byPackage.keys()].sort((a, b) =>
    a === "" ? 1 : b === "" ? -1 : a < b ? -1 : 1,
  );
  for (const key of keys) {
    lines.push("", `  ${key === "" ? "(no package)" : printable(key)}`);
    for (const entry of diff.byPackage.get(key) ?? []) {
      lines.push(`    ${MARK[entry.change]} ${printable(entry.path)}`);
    }
  }
  return lines.join("\n");
}

export async function runEnvDiff(
  before: string,
  after: string,
  options: EnvDiffOptions,
  io: CliIo,
): Promise<ExitCode> {
  const a = await readInput(before, "the snapshot", io);
  const b = a === undefined ? undefined : await readInput(after, "the snapshot", io);
  if (a === undefined || b === undefined) return ExitCode.CouldNotCheck;
  let diff: SnapshotDiff;
  try {
    const { diffSnapshots } = await import("../envcheck/index.js");
    diff = diffSnapshots(a, b);
  } catch (error) {
    printError(io, cannotMessage(error, "Cannot compare the snapshots"));
    return ExitCode.CouldNotCheck;
  }
  const text = options.format === "json" ? diffJson(diff) : diffText(diff);
  if (!(await writeOutput(text, undefined, io))) return ExitCode.CouldNotCheck;
  return diff.entries.length === 0 ? ExitCode.Clean : ExitCode.Findings;
}
