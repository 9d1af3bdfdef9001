/**
 * `env verify`: checks a Python environment without running it, against each installed
 * distribution's own record (pip/uv RECORD, conda-meta, Debian md5sums), for unlisted files in
 * package directories, startup hooks, and compiled caches that disagree with their sources.
 */
import { type BaselineOptions, checkBaseline } from "./baseline.js";
import { type BytecodeCheck, checkAllBytecode } from "./bytecode.js";
import { checkBytecode, sourceFor } from "./bytecode-check.js";
import { EnvCheckError } from "./env-error.js";
import { findUnexpected } from "./find-unexpected.js";
import { detectLayout } from "./layout.js";
import { ownerOf } from "./ownership.js";
import { loadRecords } from "./records/load-records.js";
import type { Distribution } from "./records/recorded-file.js";
import { selectPackages } from "./select-packages.js";
import { severityFor } from "./severity.js";
import { findStartupHooks } from "./startup-hooks.js";
import { type EnvFinding, type EnvReport, isFailing, type RecordKind } from "./types.js";
import { claimsByPath, verifyRecorded } from "./verify-recorded.js";
import { newWalkBudget } from "./walk-tree.js";

/** The phase being reported, the files done in it, and how many it has. */
export type EnvProgress = (
  phase: "hashing" | "bytecode",
  done: number,
  total: number,
  path: string,
) => void;

export interface CheckEnvironmentOptions {
  /** dpkg info directory (default `/var/lib/dpkg/info` for a `dist-packages` directory). */
  readonly dpkgInfoDir?: string;
  /** Check only these distributions (and skip environment-wide startup hooks). */
  readonly packages?: readonly string[];
  /** Interpreter the bytecode check may run to compare code objects (opt-in). */
  readonly python?: string;
  /** The bytecode check (default `bytecode-check.ts`); injectable for tests. */
  readonly bytecode?: BytecodeCheck;
  /** Also check against a signed snapshot (`env snapshot`). */
  readonly baseline?: BaselineOptions;
  readonly workers?: number;
  readonly onProgress?: EnvProgress;
}

function compareFindings(a: EnvFinding, b: EnvFinding): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

function recordFindings(dist: Distribution): EnvFinding[] {
  if (dist.unhashed !== true) return [];
  return [
    {
      kind: "unverified",
      path: dist.recordPath,
      package: dist.name,
      severity: severityFor("unverified", dist.recordPath),
      detail: "the record lists files without hashes; their content cannot be checked",
      source: "record",
    },
  ];
}

export async function checkEnvironment(
  path: string,
  options: CheckEnvironmentOptions = {},
): Promise<EnvReport> {
  const started = performance.now();
  const layout = await detectLayout(path);
  const records = await loadRecords(
    layout,
    options.dpkgInfoDir === undefined ? {} : { dpkgInfoDir: options.dpkgInfoDir },
  );
  const all = records.distributions;
  const selected =
    options.packages === undefined || options.packages.length === 0
      ? undefined
      : selectPackages(options.packages, all, layout.siteDirs);
  const checked = selected === undefined ? all : all.filter((dist) => selected.has(dist.name));
  const prefixes = [...new Set([layout.root, layout.realRoot])];
  const hashed = await verifyRecorded(claimsByPath(checked), {
    root: layout.root,
    prefixes,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
    onProgress: (done, total, file) => options.onProgress?.("hashing", done, total, file),
  });
  const findings: EnvFinding[] = [...hashed.findings, ...checked.flatMap(recordFindings)];
  for (const install of records.unrecorded) {
    if (selected !== undefined && !selected.has(install.name)) continue;
    const missing = install.reason === "no-record";
    const where = missing ? `${install.path}/RECORD` : install.path;
    findings.push({
      kind: missing ? "missing" : "unverified",
      path: where,
      package: install.name,
      severity: severityFor(missing ? "missing" : "unverified", where),
      detail: missing
        ? "the distribution has no RECORD, so none of its files can be checked"
        : "installed as an egg-info without a hashed record; its files cannot be checked",
      source: "record",
    });
  }
  const recorded = new Set<string>();
  const ownerOfRecorded = new Map<string, string>();
  for (const dist of all) {
    for (const file of dist.files) {
      recorded.add(file.path);
      if (!ownerOfRecorded.has(file.path)) ownerOfRecorded.set(file.path, dist.name);
    }
  }
  const budget = newWalkBudget();
  const unexpected = await findUnexpected({
    root: layout.root,
    siteDirs: layout.siteDirs,
    distributions: all,
    selected,
    recorded,
    skipDirectories: new Set(records.unrecorded.map((install) => install.path)),
    budget,
  });
  findings.push(...unexpected.findings);
  if (selected === undefined) {
    findings.push(
      ...(await findStartupHooks({
        root: layout.root,
        siteDirs: layout.siteDirs,
        stdlibDirs: layout.stdlibDirs,
        ownerOfRecorded,
        verified: hashed.verified,
        budget,
      })),
    );
  }
  const bytecodeChecked = unexpected.bytecode.length;
  findings.push(
    ...(await checkAllBytecode({
      root: layout.root,
      paths: unexpected.bytecode,
      check: options.bytecode ?? { checkBytecode, sourceFor },
      ownership: unexpected.ownership,
      ...(options.python === undefined ? {} : { python: options.python }),
      onProgress: (done, total, file) => options.onProgress?.("bytecode", done, total, file),
    })),
  );
  if (options.baseline !== undefined) {
    findings.push(
      ...(await checkBaseline(
        layout.root,
        options.baseline,
        (file) => ownerOfRecorded.get(file) ?? ownerOf(unexpected.ownership, file),
      )),
    );
  }
  findings.sort(compareFindings);
  const recordKinds = [...new Set(all.map((dist) => dist.kind))].sort() as RecordKind[];
  if (all.length === 0 && records.unrecorded.length === 0) {
    throw new EnvCheckError(
      "NOT_ENVIRONMENT",
      `Cannot check the environment "${path}": it has no package records`,
    );
  }
  return {
    root: layout.root,
    layout: layout.kind,
    siteDirs: layout.siteDirs,
    recordKinds,
    packageNames: checked.map((dist) => dist.name).sort(),
    findings,
    summary: {
      packages: checked.length,
      filesHashed: hashed.filesHashed,
      bytecodeChecked,
      outsideRoot: checked.reduce((sum, dist) => sum + dist.outsideRoot, 0),
      failing: findings.filter(isFailing).length,
      elapsedMs: Math.round(performance.now() - started),
    },
  };
}
