/**
 * The report for a person: a summary line first, then each file that is not clean with its
 * findings indented below it. Every string that came from a scanned file is passed through
 * `printable` so a hostile member name cannot drive the terminal.
 */
import pc from "picocolors";
import type {
  FileResult,
  Finding,
  FindingLocation,
  ScanReport,
  ScanSummary,
  Verdict,
} from "../types.js";
import { printable } from "./printable.js";

export interface TextOptions {
  /** Colour verdicts and severities (only when writing to a terminal). */
  readonly color: boolean;
  /** Only the summary line. */
  readonly quiet?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export function summaryLine(summary: ScanSummary): string {
  return (
    `Scanned ${plural(summary.files, "file")}: ${summary.clean} clean, ` +
    `${summary.suspicious} suspicious, ${summary.dangerous} dangerous, ` +
    `${summary.unscannable} unscannable`
  );
}

/** `member@offset`, `member`, `@offset` or "" when the finding is about the whole file. */
export function formatLocation(location: FindingLocation): string {
  const member = location.member === undefined ? "" : printable(location.member);
  const offset = location.offset === undefined ? "" : `@${location.offset}`;
  return `${member}${offset}`;
}

function paint(colors: Colors, verdict: Verdict, text: string): string {
  switch (verdict) {
    case "dangerous":
      return colors.bold(colors.red(text));
    case "unscannable":
      return colors.magenta(text);
    case "suspicious":
      return colors.yellow(text);
    case "clean":
      return colors.green(text);
  }
}

function findingLine(finding: Finding, ruleWidth: number, colors: Colors): string {
  const where = formatLocation(finding.location);
  const severity = finding.severity.padEnd(8);
  const line = `    ${paint(colors, finding.verdict, severity)}  ${finding.rule.padEnd(ruleWidth)}  ${printable(finding.message)}`;
  return where === "" ? line : `${line}  ${colors.dim(where)}`;
}

function fileBlock(
  file: FileResult,
  widths: { verdict: number; format: number; rule: number },
  colors: Colors,
): string[] {
  const verdict = paint(colors, file.verdict, file.verdict.padEnd(widths.verdict));
  const lines = [
    `  ${verdict}  ${printable(file.format).padEnd(widths.format)}  ${printable(file.path)}`,
  ];
  for (const finding of file.findings) lines.push(findingLine(finding, widths.rule, colors));
  return lines;
}

function maxLength(values: readonly string[]): number {
  return values.reduce((max, value) => Math.max(max, value.length), 0);
}

/** The report as text (no trailing newline). */
export function toText(report: ScanReport, options: TextOptions): string {
  const colors = pc.createColors(options.color);
  const lines = [summaryLine(report.summary)];
  if (options.quiet === true) return lines[0] ?? "";
  const flagged = report.files.filter((file) => file.verdict !== "clean");
  if (flagged.length === 0) {
    const info = report.files.reduce((count, file) => count + file.findings.length, 0);
    lines.push(
      info === 0
        ? "No findings."
        : `No findings to act on (${plural(info, "informational finding")}; see --format json).`,
    );
    return lines.join("\n");
  }
  const widths = {
    verdict: maxLength(flagged.map((file) => file.verdict)),
    format: maxLength(flagged.map((file) => printable(file.format))),
    rule: maxLength(flagged.flatMap((file) => file.findings.map((finding) => finding.rule))),
  };
  lines.push("");
  for (const file of flagged) lines.push(...fileBlock(file, widths, colors));
  return lines.join("\n");
}
