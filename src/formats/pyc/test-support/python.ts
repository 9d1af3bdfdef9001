import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Interpreters tests may use when present: the system one first, then pyenv builds. */
const CANDIDATES = [
  "/usr/bin/python3",
  "/root/.pyenv/versions/3.7.16/bin/python3",
  "/root/.pyenv/versions/3.8.18/bin/python3",
  "/root/.pyenv/versions/3.9.18/bin/python3",
  "/root/.pyenv/versions/3.10.13/bin/python3",
  "/root/.pyenv/versions/3.11.7/bin/python3",
  "/root/.pyenv/versions/3.12.1/bin/python3",
  "/root/.pyenv/versions/3.13.0/bin/python3",
];

export interface Interpreter {
  readonly path: string;
  readonly version: string;
}

let found: Interpreter[] | undefined;

/** Installed interpreters of 3.7 or later, each with its "3.N" version. */
export function interpreters(): readonly Interpreter[] {
  found ??= CANDIDATES.filter((path) => existsSync(path)).flatMap((path) => {
    try {
      const version = execFileSync(path, [
        "-c",
        "import sys; print('%d.%d' % sys.version_info[:2])",
      ])
        .toString()
        .trim();
      return [{ path, version }];
    } catch {
      return [];
    }
  });
  return found;
}

export const SYSTEM_PYTHON = "/usr/bin/python3";

export function hasPython(path = SYSTEM_PYTHON): boolean {
  return interpreters().some((interpreter) => interpreter.path === path);
}

/** Runs `python -c script args...` and returns stdout. */
export function runPython(python: string, script: string, ...args: string[]): Buffer {
  return execFileSync(python, ["-c", script, ...args], { maxBuffer: 64 * 1024 * 1024 });
}
