/**
 * The machine-readable report. `packages` and `findings` (each with `kind`, `path` relative to
 * PATH, and `package` or null) are the documented contract; the other keys add context.
 */
import type { EnvReport } from "../types.js";

export function envReportToJson(report: EnvReport): string {
  return JSON.stringify(
    {
      packages: report.summary.packages,
      findings: report.findings.map((finding) => ({
        kind: finding.kind,
        path: finding.path,
        package: finding.package,
        severity: finding.severity,
        detail: finding.detail,
        source: finding.source,
        ...(finding.expected === true ? { expected: true } : {}),
      })),
      verified: report.summary.failing === 0,
      environment: {
        root: report.root,
        layout: report.layout,
        siteDirs: report.siteDirs,
        records: report.recordKinds,
      },
      summary: report.summary,
    },
    null,
    2,
  );
}
