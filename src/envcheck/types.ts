/** Result types of the environment check: the contract shared by the CLI, JSON and SARIF. */

/**
 * What is wrong with one path. The first six are the documented contract; `unreadable-bytecode`
 * comes from the bytecode check and `unverified` marks a file a record owns but whose content it
 * does not let us check (no hash, a conda file rewritten at install time that cannot be recomputed).
 */
export type FindingKind =
  | "modified"
  | "missing"
  | "unexpected"
  | "startup-hook"
  | "bytecode-mismatch"
  | "orphan-bytecode"
  | "unreadable-bytecode"
  | "unverified";

export type Severity = "info" | "low" | "medium" | "high" | "critical";

/** Where the expectation came from: a package record, or a signed baseline snapshot. */
export type FindingSource = "record" | "baseline";

export interface EnvFinding {
  readonly kind: FindingKind;
  /** Relative to the checked PATH, with forward slashes. */
  readonly path: string;
  /** The distribution (or Debian package) the path belongs to, or null when none owns it. */
  readonly package: string | null;
  readonly severity: Severity;
  readonly detail: string;
  readonly source: FindingSource;
  /** An informational startup hook its own package installed and lists: does not fail the check. */
  readonly expected?: true;
}

/** Where the records that describe the environment came from. */
export type RecordKind = "pip-record" | "conda-meta" | "dpkg";

export type LayoutKind = "venv" | "conda" | "site-packages" | "dist-packages";

export interface EnvSummary {
  /** Distributions whose records were checked. */
  readonly packages: number;
  /** Recorded files whose content was hashed. */
  readonly filesHashed: number;
  /** Bytecode files given to the bytecode check. */
  readonly bytecodeChecked: number;
  /** Record entries pointing outside PATH (such as `../../bin/x` when PATH is site-packages). */
  readonly outsideRoot: number;
  /** Findings that fail the check (everything but expected hooks). */
  readonly failing: number;
  readonly elapsedMs: number;
}

export interface EnvReport {
  /** Absolute path of the checked environment. */
  readonly root: string;
  readonly layout: LayoutKind;
  /** Site directories relative to root ("" when root is the site directory). */
  readonly siteDirs: readonly string[];
  readonly recordKinds: readonly RecordKind[];
  readonly packageNames: readonly string[];
  readonly findings: readonly EnvFinding[];
  readonly summary: EnvSummary;
}

/** True when the finding makes `env verify` exit 1. */
export function isFailing(finding: EnvFinding): boolean {
  return finding.expected !== true;
}
