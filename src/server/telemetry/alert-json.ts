/**
 * An alert in the three forms the server keeps it: the JSON the API and webhooks send (the CLI's
 * shape, non-finite numbers as the wire format's strings), the row of the `alerts` table, and
 * the audit event its ledger entry records.
 */
import type { EventInput } from "../../events/index.js";
import type { Alert, Severity } from "../../monitor/index.js";
import type { AlertRow, StoredAlertRow } from "../../store/index.js";

export interface AlertJson {
  readonly detector: string;
  readonly severity: string;
  readonly run: string;
  readonly rank: number | null;
  readonly step: number | null;
  readonly message: string;
  readonly evidence: Record<string, unknown>;
}

/** OCSF class 2004, Detection Finding: a detector's finding about a resource. */
export const DETECTION_FINDING_CLASS = 2004;
/** The ledger event's `activity`. */
export const ALERT_ACTIVITY = "monitor.alert";

/** OCSF severity_id: 1 informational, 3 medium, 4 high, 5 critical. */
const SEVERITY_ID: Readonly<Record<Severity, 1 | 3 | 4 | 5>> = {
  info: 1,
  warning: 3,
  high: 4,
  critical: 5,
};

/** Details values are bounded by the event schema (4,096 characters per string). */
const MAX_DETAIL_TEXT = 4096;
/** Names and ids in events are bounded at 1,024 characters. */
const MAX_NAME = 1024;
const IDENTIFIER = /^[a-z][a-z0-9_.-]{0,63}$/;

/** JSON text of the evidence; NaN and ±Infinity become "NaN", "Infinity", "-Infinity". */
export function evidenceText(evidence: Readonly<Record<string, unknown>>): string {
  try {
    return JSON.stringify(evidence, (_key, value: unknown) => {
      if (typeof value === "number" && !Number.isFinite(value)) return String(value);
      if (typeof value === "bigint") return value.toString();
      return value;
    });
  } catch {
    return '{"error":"Cannot serialise evidence"}';
  }
}

export function alertRow(alert: Alert, raisedAt: number): AlertRow {
  return {
    run: alert.run,
    rank: alert.rank,
    step: Number.isSafeInteger(alert.step) ? alert.step : null,
    detector: alert.detector,
    severity: alert.severity,
    message: alert.message,
    evidence: evidenceText(alert.evidence),
    raisedAt,
  };
}

export function rowJson(row: AlertRow | StoredAlertRow): AlertJson {
  let evidence: Record<string, unknown>;
  try {
    evidence = JSON.parse(row.evidence) as Record<string, unknown>;
  } catch {
    evidence = {};
  }
  return {
    detector: row.detector,
    severity: row.severity,
    run: row.run,
    rank: row.rank,
    step: row.step,
    message: row.message,
    evidence,
  };
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

/** The audit event recording an alert; `onBehalfOf` is who sent the records that raised it. */
export function alertEvent(row: AlertRow, onBehalfOf: string | undefined): EventInput {
  const run = clip(row.run, MAX_NAME);
  const resources: NonNullable<EventInput["resources"]> = [{ type: "run", uid: run }];
  if (row.rank !== null) resources.push({ type: "rank", uid: `${run}/rank/${row.rank}` });
  const severity = row.severity as Severity;
  return {
    activity: ALERT_ACTIVITY,
    class_uid: DETECTION_FINDING_CLASS,
    severity_id: SEVERITY_ID[severity] ?? 99,
    outcome: {
      status: "failure",
      ...(IDENTIFIER.test(row.detector) ? { code: row.detector } : {}),
    },
    resources,
    correlation_uid: run,
    message: clip(row.message, MAX_DETAIL_TEXT) || row.detector,
    ...(onBehalfOf === undefined ? {} : { actor: { on_behalf_of: onBehalfOf } }),
    details: {
      detector: clip(row.detector, MAX_DETAIL_TEXT),
      severity: row.severity,
      rank: row.rank,
      step: row.step,
      evidence: clip(row.evidence, MAX_DETAIL_TEXT),
      evidence_truncated: row.evidence.length > MAX_DETAIL_TEXT,
    },
  };
}
