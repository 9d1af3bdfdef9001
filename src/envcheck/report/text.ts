/**
 * The report for a person: a summary line first, then the findings grouped by package. Paths
 * and details come from the environment, so they pass through `printable` before printing.
 */
import pc from "picocolors";
import { printable } from "../../scan/report/index.js";
import type { EnvFinding, EnvReport, Severity } from "../types.js";

export interface EnvTextOptions {
  readonly color: boolean;
  readonly quiet?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function paint(colors: Colors, severity: Severity, text: string): string {
  switch (severity) {
    case "critical":
      return colors.bold(colors.red(text));
    case "high":
      return colors.red(text);
    case "medium":
    case "low":
      return colors.yellow(text);
    case "info":
      return colors.dim(text);
  }
}

export function envSummaryLine(report: EnvReport): string {
  const { summary } = report;
  const informational = report.findings.length - summary.failing;
  const byKind = new Map<string, number>();
  for (const finding of report.findings) {
    if (finding.expected === true) continue;
    byKind.set(finding.kind, (byKind.get(finding.kind) ?? 0) + 1);
  }
  const kinds = [...byKind].map(([kind, count]) => `${count} ${kind}`).join(", ");
  const verdict =
    summary.failing === 0 ? "verified" : `${plural(summary.failing, "finding")} (${kinds})`;
  const info = informational > 0 ? `, ${informational} informational` : "";
  return (
    `Checked ${plural(summary.packages, "package")} in ${printable(report.root)} ` +
    `(${report.layout}; ${report.recordKinds.join(", ") || "no records"}): ` +
    `${summary.filesHashed} files hashed, ${summary.bytecodeChecked} bytecode files: ${verdict}${info}`
  );
}

function findingLine(finding: EnvFinding, kindWidth: number, colors: Colors): string {
  const label = finding.expected === true ? "expected" : finding.severity;
  return (
    `    ${paint(colors, finding.severity, label.padEnd(8))}  ${finding.kind.padEnd(kindWidth)}  ` +
    `${printable(finding.path)}\n      ${colors.dim(printable(finding.detail))}`
  );
}

export function envReportToText(report: EnvReport, options: EnvTextOptions): string {
  const colors = pc.createColors(options.color);
  const lines = [envSummaryLine(report)];
  if (options.quiet === true || report.findings.length === 0) return lines.join("\n");
  const kindWidth = report.findings.reduce((max, finding) => Math.max(max, finding.kind.length), 0);
  const groups = new Map<string, EnvFinding[]>();
  for (const finding of report.findings) {
    const key = finding.package ?? "";
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [finding]);
    else group.push(finding);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === "" ? 1 : b === "" ? -1 : a < b ? -1 : 1));
  for (const key of keys) {
    const group = groups.get(key) ?? [];
    lines.push("", `  ${key === "" ? "(no package)" : printable(key)}`);
    for (const finding of group) lines.push(findingLine(finding, kindWidth, colors));
  }
  return lines.join("\n");
}
