/**
 * The events `trainguard watch --server` records: `watch.scan` for every verdict and
 * `watch.quarantine` for every file moved to quarantine. Same OCSF shape as `scan.file` (see
 * result-events.ts and docs/server.md); class 2004 is OCSF "Detection Finding".
 */
import type { EventInput } from "../events/index.js";
import type { Verdict } from "../scan/index.js";
import { sha256File, type WatchOutcome } from "../watch/index.js";
import type { RecordTarget } from "./record-results.js";

const DETECTION_FINDING = 2004;
const MAX_TEXT = 4096;

/** OCSF severity_id: 1 informational, 3 medium, 4 high, 5 critical. */
const VERDICT_SEVERITY: Record<Verdict, number> = {
  clean: 1,
  suspicious: 3,
  unscannable: 4,
  dangerous: 5,
};

const text = (value: string) =>
  value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT - 1)}…` : value;

/** The SHA-256 of what was scanned: from the quarantine index, else read now (if still there). */
async function digestOf(outcome: WatchOutcome): Promise<string | undefined> {
  if (outcome.quarantined !== undefined) return outcome.quarantined.sha256;
  return sha256File(outcome.path).catch(() => undefined);
}

export async function watchEvents(
  outcome: WatchOutcome,
  target: RecordTarget,
): Promise<EventInput[]> {
  const { result, quarantined } = outcome;
  const sha256 = await digestOf(outcome);
  const resource = {
    type: "file",
    uid: outcome.path,
    name: text(outcome.path),
    ...(sha256 === undefined ? {} : { hashes: [{ algorithm: "sha256", value: sha256 }] }),
  };
  const common = {
    class_uid: DETECTION_FINDING,
    observed_time: Date.now(),
    correlation_uid: target.correlationUid,
    severity_id: VERDICT_SEVERITY[result.verdict],
    resources: [resource],
  };
  const rules = [...new Set(result.findings.map((f) => f.rule))].join(",");
  const events: EventInput[] = [
    {
      ...common,
      activity: "watch.scan",
      outcome: {
        status: result.verdict === "clean" ? "success" : "failure",
        code: result.verdict,
        message: text(result.findings[0]?.message ?? "every behaviour is on the allowlist"),
      },
      details: {
        verdict: result.verdict,
        format: text(result.format),
        findings: result.findings.length,
        rules: text(rules),
      },
    },
  ];
  if (quarantined !== undefined) {
    events.push({
      ...common,
      activity: "watch.quarantine",
      outcome: {
        status: "success",
        code: "quarantined",
        message: text(`Moved to quarantine as ${quarantined.id}`),
      },
      details: {
        quarantine_id: quarantined.id,
        stored_path: text(quarantined.storedPath),
        verdict: quarantined.verdict,
        by: text(quarantined.by),
      },
    });
  }
  return events;
}
