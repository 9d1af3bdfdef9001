/** Result types of the scanner: the contract shared by the CLI, the server and the load guard. */

export type Verdict = "clean" | "suspicious" | "dangerous" | "unscannable";

export type Severity = "info" | "low" | "medium" | "high" | "critical";

/** Where a finding is: a file, optionally a member inside a container, optionally a byte offset. */
export interface FindingLocation {
  /** Path of a member inside a container, joined with "!" for nesting ("a.pt!archive/data.pkl"). */
  member?: string;
  /** Byte offset inside the member (or the file when there is no member). */
  offset?: number;
  /** Pickle stream index when a member holds several streams. */
  stream?: number;
}

export interface Finding {
  /** Stable rule id, for example "pickle/dangerous-global" (see `docs/rules.md`). */
  rule: string;
  severity: Severity;
  message: string;
  location: FindingLocation;
  /** The advisory, CVE or catalogue technique this matches, when one applies. */
  reference?: string;
  /** What the finding pushes the file's verdict to at least. */
  verdict: Verdict;
}

export interface FileResult {
  path: string;
  /** Detected by content: "pytorch-zip", "pickle", "numpy", ... */
  format: string;
  verdict: Verdict;
  findings: Finding[];
  size: number;
  /** Bytes the scanner read from the file, to show that tensor data is skipped. */
  bytesRead: number;
}

export interface ScanSummary {
  files: number;
  clean: number;
  suspicious: number;
  dangerous: number;
  unscannable: number;
}

export interface ScanReport {
  files: FileResult[];
  summary: ScanSummary;
}

const RANK: Record<Verdict, number> = { clean: 0, suspicious: 1, unscannable: 2, dangerous: 3 };

/** The worse of two verdicts: dangerous > unscannable > suspicious > clean. */
export function worseVerdict(a: Verdict, b: Verdict): Verdict {
  return RANK[a] >= RANK[b] ? a : b;
}

export function summarize(files: readonly FileResult[]): ScanSummary {
  const summary: ScanSummary = { files: 0, clean: 0, suspicious: 0, dangerous: 0, unscannable: 0 };
  for (const file of files) {
    summary.files += 1;
    summary[file.verdict] += 1;
  }
  return summary;
}
