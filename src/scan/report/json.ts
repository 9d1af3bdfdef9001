/**
 * The JSON report: `{"files": [...], "summary": {...}, "tool": {...}}` with a fixed key order so
 * that two scans of the same files produce byte-identical output (diffable, cacheable).
 */
import type { FileResult, Finding, FindingLocation, ScanReport, ScanSummary } from "../types.js";
import { TOOL_INFO, type ToolInfo } from "./tool-info.js";

function locationJson(location: FindingLocation): FindingLocation {
  const out: FindingLocation = {};
  if (location.member !== undefined) out.member = location.member;
  if (location.offset !== undefined) out.offset = location.offset;
  if (location.stream !== undefined) out.stream = location.stream;
  return out;
}

function findingJson(finding: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
    location: locationJson(finding.location),
    verdict: finding.verdict,
  };
  if (finding.reference !== undefined) out.reference = finding.reference;
  return out;
}

function fileJson(file: FileResult): Record<string, unknown> {
  return {
    path: file.path,
    format: file.format,
    verdict: file.verdict,
    findings: file.findings.map(findingJson),
    size: file.size,
    bytesRead: file.bytesRead,
  };
}

function summaryJson(summary: ScanSummary): ScanSummary {
  return {
    files: summary.files,
    clean: summary.clean,
    suspicious: summary.suspicious,
    dangerous: summary.dangerous,
    unscannable: summary.unscannable,
  };
}

/** The report as pretty-printed JSON (2-space indent, no trailing newline). */
export function toJson(report: ScanReport, tool: ToolInfo = TOOL_INFO): string {
  const document = {
    files: report.files.map(fileJson),
    summary: summaryJson(report.summary),
    tool: { name: tool.name, version: tool.version },
  };
  return JSON.stringify(document, null, 2);
}
