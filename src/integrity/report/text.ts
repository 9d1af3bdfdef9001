/** The text report of `trainguard verify`: the verdict first, then one line per finding. */
import pc from "picocolors";
import type { VerifyReport } from "../types.js";

export interface VerifyTextOptions {
  readonly color: boolean;
  /** Characters that could move the cursor or fake lines are made visible. */
  readonly printable: (text: string) => string;
}

function signerText(report: VerifyReport): string {
  const { signer } = report;
  if (signer === undefined) return "";
  const who = signer.method === "certificate" ? `certificate "${signer.subject ?? ""}"` : "key";
  return `; signed by ${who} ${signer.keyHint.slice(0, 16)}… (${signer.curve})`;
}

export function toVerifyText(report: VerifyReport, options: VerifyTextOptions): string {
  const colors = pc.createColors(options.color);
  const safe = options.printable;
  const where = `${safe(report.path)} against ${safe(report.signature)}`;
  if (report.verified) {
    const { files, bytes } = report.stats;
    return `${colors.green("VERIFIED")} ${where}: ${files} files, ${bytes} bytes${safe(signerText(report))}`;
  }
  const count = report.findings.length;
  const lines = [
    `${colors.red("FAILED")} ${where}: ${count} finding${count === 1 ? "" : "s"}${safe(signerText(report))}`,
  ];
  const width = Math.max(...report.findings.map((f) => f.kind.length));
  for (const finding of report.findings) {
    const path = finding.path === "" ? "(signature)" : safe(finding.path);
    lines.push(`  ${colors.yellow(finding.kind.padEnd(width))}  ${path}  ${safe(finding.detail)}`);
  }
  return lines.join("\n");
}
