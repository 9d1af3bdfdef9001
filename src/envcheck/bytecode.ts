/**
 * Runs the bytecode check (`bytecode-check.ts`) on every compiled cache file seen in the
 * environment: a `.pyc` whose source is gone still loads when it sits beside where the source was,
 * and a `.pyc` whose code differs from its source beats the clean source at import time.
 */
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { type Ownership, ownerOf } from "./ownership.js";
import { severityFor } from "./severity.js";
import type { EnvFinding } from "./types.js";

export interface BytecodeIssue {
  readonly kind: "orphan-bytecode" | "bytecode-mismatch" | "unreadable-bytecode";
  readonly detail: string;
}

/** The API of `bytecode-check.ts`, injectable so the environment check can be tested alone. */
export interface BytecodeCheck {
  checkBytecode(
    pycPath: string,
    sourcePath: string | null,
    options?: { python?: string },
  ): Promise<BytecodeIssue | undefined>;
  /** The source a `.pyc` is compiled from (PEP 3147), whether or not it exists. */
  sourceFor(pycPath: string): string;
}

export interface CheckAllBytecodeInput {
  readonly root: string;
  /** Root-relative `.pyc` paths. */
  readonly paths: readonly string[];
  readonly check: BytecodeCheck;
  readonly ownership: Ownership;
  readonly python?: string;
  /** Checks in flight at once (each may start the interpreter). */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number, path: string) => void;
}

const DEFAULT_CONCURRENCY = 8;

async function existingFile(path: string): Promise<string | null> {
  try {
    const stat = await lstat(path);
    return stat.isFile() || stat.isSymbolicLink() ? path : null;
  } catch {
    return null;
  }
}

export async function checkAllBytecode(input: CheckAllBytecodeInput): Promise<EnvFinding[]> {
  const results: (EnvFinding | undefined)[] = new Array(input.paths.length);
  const options = input.python === undefined ? {} : { python: input.python };
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let index = next++; index < input.paths.length; index = next++) {
      const path = input.paths[index] ?? "";
      const absolute = join(input.root, path);
      let issue: BytecodeIssue | undefined;
      try {
        const source = await existingFile(input.check.sourceFor(absolute));
        issue = await input.check.checkBytecode(absolute, source, options);
      } catch (error) {
        issue = {
          kind: "unreadable-bytecode",
          detail: `Cannot check the bytecode: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      done += 1;
      input.onProgress?.(done, input.paths.length, path);
      if (issue === undefined) continue;
      results[index] = {
        kind: issue.kind,
        path,
        package: ownerOf(input.ownership, path),
        severity: severityFor(issue.kind, path),
        detail: issue.detail,
        source: "record",
      };
    }
  };
  const workers = Math.max(
    1,
    Math.min(input.concurrency ?? DEFAULT_CONCURRENCY, input.paths.length),
  );
  await Promise.all(Array.from({ length: workers }, worker));
  return results.filter((finding): finding is EnvFinding => finding !== undefined);
}
