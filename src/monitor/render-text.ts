/** Plain-text renderings of an analysis and of a comparison, for a terminal. */
import type { AnalysisReport } from "./analyze.js";
import type { CompareReport } from "./compare.js";
import { SEVERITIES } from "./telemetry.js";

export function analysisText(
  report: AnalysisReport,
  problems: readonly { source: string; message: string }[],
): string {
  const lines: string[] = [];
  let severe = 0;
  let total = 0;
  for (const run of report.runs) {
    const counts = new Map<string, number>();
    for (const alert of run.alerts)
      counts.set(alert.severity, (counts.get(alert.severity) ?? 0) + 1);
    const summary = [...SEVERITIES]
      .reverse()
      .filter((s) => counts.has(s))
      .map((s) => `${counts.get(s)} ${s}`)
      .join(", ");
    lines.push(
      `run ${run.run}: ${run.ranks.length} rank${run.ranks.length === 1 ? "" : "s"}, ` +
        `${run.lastStep === null ? "no steps" : `steps to ${run.lastStep}`}, ${run.records} records: ` +
        (summary || "no alerts"),
    );
    for (const alert of run.alerts) {
      total++;
      if (alert.severity === "high" || alert.severity === "critical") severe++;
      const where = [
        alert.rank === null ? "" : `rank ${alert.rank}`,
        alert.step === null ? "" : `step ${alert.step}`,
      ]
        .filter(Boolean)
        .join(" ");
      lines.push(
        `  ${alert.severity.padEnd(8)} ${alert.detector.padEnd(18)} ${where.padEnd(16)} ${alert.message}`,
      );
    }
  }
  for (const problem of problems.slice(0, 20))
    lines.push(`problem: ${problem.source}: ${problem.message}`);
  if (problems.length > 20) lines.push(`problem: … ${problems.length - 20} more`);
  lines.push(
    `${report.runs.length} run${report.runs.length === 1 ? "" : "s"}, ${total} alert${total === 1 ? "" : "s"}, ` +
      `${severe} high or critical${problems.length > 0 ? `, ${problems.length} unreadable record${problems.length === 1 ? "" : "s"}` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}

export function compareText(report: CompareReport): string {
  const lines = [
    `a: run ${report.a.run}, seed ${report.a.seed ?? "?"}, steps to ${report.a.last_step ?? "-"}`,
    `b: run ${report.b.run}, seed ${report.b.seed ?? "?"}, steps to ${report.b.last_step ?? "-"}`,
  ];
  if (!report.comparable) {
    lines.push(
      `not expected to be identical: they declare different ${report.declared_differences.join(" and ")}`,
    );
  }
  if (report.initial_parameters_differ) lines.push("the runs started from different parameters");
  const d = report.first_divergence;
  if (d !== null) {
    lines.push(
      `first divergence at step ${d.step} on rank${d.ranks.length > 1 ? "s" : ""} ${d.ranks.join(", ")}: ${d.fields.join(", ")}`,
    );
    for (const [rank, fields] of Object.entries(d.values)) {
      for (const [field, pair] of Object.entries(fields)) {
        lines.push(
          `  rank ${rank} ${field}: ${JSON.stringify(pair.a)} vs ${JSON.stringify(pair.b)}`,
        );
      }
    }
  }
  if (report.identical) {
    lines.push(`identical over ${report.compared_steps} steps`);
  } else if (d === null && !report.initial_parameters_differ) {
    lines.push(
      report.compared_steps === 0
        ? "no common steps to compare"
        : `identical over ${report.compared_steps} steps`,
    );
  }
  const { a_only, b_only } = report.unmatched_steps;
  if (a_only > 0 || b_only > 0) lines.push(`steps only in a: ${a_only}, only in b: ${b_only}`);
  return `${lines.join("\n")}\n`;
}
