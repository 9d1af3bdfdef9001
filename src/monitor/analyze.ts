/**
 * Offline analysis: every record through the same detectors the server runs, in time order, then
 * the end of data. The report lists each run with its alerts, most severe first.
 */
import { mergeByTime } from "./merge-by-time.js";
import { Monitor, type MonitorOptions } from "./monitor.js";
import { type Alert, SEVERITIES, type Severity, type TelemetryRecord } from "./telemetry.js";

export interface RunReport {
  readonly run: string;
  readonly ranks: readonly number[];
  readonly records: number;
  /** Highest step any rank completed, or null when the run reported no step. */
  readonly lastStep: number | null;
  readonly alerts: readonly Alert[];
}

export interface AnalysisReport {
  readonly runs: readonly RunReport[];
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

function byImportance(a: Alert, b: Alert): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.step ?? -1) - (b.step ?? -1) ||
    (a.rank ?? -1) - (b.rank ?? -1)
  );
}

export function analyzeRecords(
  records: readonly TelemetryRecord[],
  options: MonitorOptions = {},
): AnalysisReport {
  const monitor = new Monitor(options);
  const facts = new Map<string, { ranks: Set<number>; records: number; lastStep: number }>();
  for (const record of mergeByTime(records)) {
    let fact = facts.get(record.run);
    if (fact === undefined) {
      fact = { ranks: new Set(), records: 0, lastStep: -1 };
      facts.set(record.run, fact);
    }
    fact.ranks.add(record.rank);
    fact.records++;
    if (record.type === "step") fact.lastStep = Math.max(fact.lastStep, record.step);
    monitor.add(record);
  }
  monitor.finish();
  const runs = [...facts].map(([run, fact]) => ({
    run,
    ranks: [...fact.ranks].sort((a, b) => a - b),
    records: fact.records,
    lastStep: fact.lastStep < 0 ? null : fact.lastStep,
    alerts: [...monitor.alerts(run)].sort(byImportance),
  }));
  return { runs: runs.sort((a, b) => (a.run < b.run ? -1 : a.run > b.run ? 1 : 0)) };
}

/** True when an alert is high or critical: `monitor analyze` then exits 1. */
export function isSevere(alert: Alert): boolean {
  return severityRank(alert.severity) >= severityRank("high");
}
