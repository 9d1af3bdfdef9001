/**
 * Walks the site directories for files no record lists. A file inside a directory a
 * distribution owns (an extra `.py` in `torch/`) is as serious as a modified one; a top-level
 * file or directory nobody owns is reported too. `__pycache__` contents and startup hooks are
 * left to their own checks; every bytecode file seen is collected for the bytecode check.
 */
import { posix } from "node:path";
import { HOOK_MODULES, isHookModuleName } from "./hook-names.js";
import { buildOwnership, type Ownership, ownerOf } from "./ownership.js";
import type { Distribution } from "./records/recorded-file.js";
import { severityFor } from "./severity.js";
import type { EnvFinding } from "./types.js";
import { listDirectory, type WalkBudget, type WalkEntry, walkTree } from "./walk-tree.js";

export interface FindUnexpectedInput {
  readonly root: string;
  readonly siteDirs: readonly string[];
  /** Every distribution, for ownership. */
  readonly distributions: readonly Distribution[];
  /** Names of the distributions to check; undefined checks the whole environment. */
  readonly selected: ReadonlySet<string> | undefined;
  /** Every recorded path (any record). */
  readonly recorded: ReadonlySet<string>;
  /** Directories already reported as a whole (a dist-info without RECORD). */
  readonly skipDirectories: ReadonlySet<string>;
  readonly budget: WalkBudget;
}

export interface FindUnexpectedResult {
  readonly findings: EnvFinding[];
  /** Every `.pyc` seen, root-relative. */
  readonly bytecode: string[];
  readonly ownership: Ownership;
}

const PYCACHE = "__pycache__";

function isBytecode(path: string): boolean {
  return path.endsWith(".pyc") || path.endsWith(".pyo");
}

function inPycache(path: string): boolean {
  return path.split("/").includes(PYCACHE);
}

function unexpected(path: string, owner: string | null, detail: string): EnvFinding {
  return {
    kind: "unexpected",
    path,
    package: owner,
    severity: severityFor("unexpected", path),
    detail,
    source: "record",
  };
}

export async function findUnexpected(input: FindUnexpectedInput): Promise<FindUnexpectedResult> {
  const ownership = buildOwnership(input.siteDirs, input.distributions);
  const findings: EnvFinding[] = [];
  const bytecode: string[] = [];
  const whole = input.selected === undefined;
  const classify = (entry: WalkEntry, owner: string | null, ownedTree: boolean) => {
    if (entry.type === "directory") return;
    if (entry.type === "file" && isBytecode(entry.path)) bytecode.push(entry.path);
    if (inPycache(entry.path) || input.recorded.has(entry.path)) return;
    const detail = ownedTree
      ? `not listed in the record of ${owner ?? "its package"}, inside a directory it owns`
      : "not listed in any package record";
    findings.push(
      unexpected(entry.path, owner, entry.type === "file" ? detail : `${detail} (${entry.type})`),
    );
  };
  for (const siteDir of input.siteDirs) {
    for (const entry of await listDirectory(input.root, siteDir, input.budget)) {
      const name = posix.basename(entry.path);
      if (input.skipDirectories.has(entry.path)) continue;
      const owners = ownership.topLevel.get(entry.path);
      const selected =
        whole || [...(owners ?? [])].some((owner) => input.selected?.has(owner) === true);
      if (!selected) continue;
      if (entry.type === "directory") {
        // Hook packages (sitecustomize/) are reported by the startup-hook check.
        if (owners === undefined && isHookModuleName(name)) continue;
        const owned = owners !== undefined && name !== PYCACHE;
        const tree = await walkTree(input.root, entry.path, input.budget);
        for (const inner of tree) {
          const owner = owned ? ownerOf(ownership, inner.path) : null;
          classify(inner, owner, owned);
        }
        continue;
      }
      // Top-level files: .pth files and sitecustomize/usercustomize are startup hooks.
      if (name.endsWith(".pth") || HOOK_MODULES.some((hook) => isHookModuleName(name, hook))) {
        if (entry.type === "file" && isBytecode(entry.path)) bytecode.push(entry.path);
        continue;
      }
      classify(entry, null, false);
    }
  }
  return { findings, bytecode, ownership };
}
