/**
 * Code that runs at every interpreter start: `.pth` lines that site.py executes and the
 * `sitecustomize`/`usercustomize` modules. A hook its own package installed, lists in its record
 * and that is unchanged is reported for information (`expected`); any other fails the check.
 */
import { join, posix } from "node:path";
import { HOOK_MODULES, isHookModuleName } from "./hook-names.js";
import { LIMITS } from "./limits.js";
import { analysePth } from "./pth-file.js";
import { readBounded } from "./records/read-bounded.js";
import { severityFor } from "./severity.js";
import type { EnvFinding } from "./types.js";
import { listDirectory, type WalkBudget } from "./walk-tree.js";

export interface StartupHookInput {
  readonly root: string;
  readonly siteDirs: readonly string[];
  readonly stdlibDirs: readonly string[];
  /** Recorded path → the distribution whose record lists it. */
  readonly ownerOfRecorded: ReadonlyMap<string, string>;
  /** Recorded paths whose content matched the record. */
  readonly verified: ReadonlySet<string>;
  readonly budget: WalkBudget;
}

function hook(path: string, owner: string | null, expected: boolean, detail: string): EnvFinding {
  const base = {
    kind: "startup-hook" as const,
    path,
    package: owner,
    detail,
    source: "record" as const,
  };
  return expected
    ? { ...base, severity: "info", expected: true }
    : { ...base, severity: severityFor("startup-hook", path) };
}

function provenance(
  path: string,
  input: StartupHookInput,
): { owner: string | null; expected: boolean; why: string } {
  const owner = input.ownerOfRecorded.get(path) ?? null;
  if (owner === null) return { owner, expected: false, why: "no package record lists it" };
  if (!input.verified.has(path))
    return { owner, expected: false, why: `listed by ${owner} but changed since install` };
  return { owner, expected: true, why: `installed by ${owner} and unchanged` };
}

async function pthFindings(
  path: string,
  isLink: boolean,
  input: StartupHookInput,
): Promise<EnvFinding[]> {
  const { owner, expected, why } = provenance(path, input);
  if (isLink) {
    return [hook(path, owner, false, `a .pth symbolic link site.py follows; not read (${why})`)];
  }
  let text: string;
  let truncated: boolean;
  try {
    const read = await readBounded(
      join(input.root, path),
      LIMITS.maxPthBytes,
      "the .pth file",
      "IO",
      true,
    );
    // latin1 maps every byte, so "import " is found whatever encoding the interpreter uses.
    text = read.bytes.toString("latin1");
    truncated = read.truncated;
  } catch (error) {
    return [
      hook(
        path,
        owner,
        false,
        `cannot read the .pth file: ${error instanceof Error ? error.message : String(error)}`,
      ),
    ];
  }
  const analysis = analysePth(text);
  if (truncated) {
    return [
      hook(
        path,
        owner,
        false,
        `larger than ${LIMITS.maxPthBytes} bytes; not read completely (${why})`,
      ),
    ];
  }
  if (analysis.executableLines > 0) {
    const detail = `site.py executes ${analysis.executableLines} line(s) at startup, first: ${JSON.stringify(analysis.firstExecutable)} (${why})`;
    return [hook(path, owner, expected, detail)];
  }
  if (owner === null) {
    return [
      {
        kind: "unexpected",
        path,
        package: null,
        severity: severityFor("unexpected", path),
        detail: `not listed in any package record; adds ${analysis.pathLines} path(s) to sys.path`,
        source: "record",
      },
    ];
  }
  return [];
}

export async function findStartupHooks(input: StartupHookInput): Promise<EnvFinding[]> {
  const findings: EnvFinding[] = [];
  for (const siteDir of input.siteDirs) {
    for (const entry of await listDirectory(input.root, siteDir, input.budget)) {
      const name = posix.basename(entry.path);
      if (name.endsWith(".pth") && entry.type !== "directory") {
        findings.push(...(await pthFindings(entry.path, entry.type === "symlink", input)));
      }
    }
  }
  for (const dir of [...input.siteDirs, ...input.stdlibDirs]) {
    for (const entry of await listDirectory(input.root, dir, input.budget)) {
      const name = posix.basename(entry.path);
      const module = HOOK_MODULES.find((hookName) => isHookModuleName(name, hookName));
      if (module === undefined) continue;
      const checked = entry.type === "directory" ? `${entry.path}/__init__.py` : entry.path;
      const { owner, expected, why } = provenance(checked, input);
      const form = entry.type === "directory" ? "package" : "module";
      findings.push(
        hook(
          entry.path,
          owner,
          expected,
          `${module} ${form}: site.py imports it at every start (${why})`,
        ),
      );
    }
  }
  return findings;
}
