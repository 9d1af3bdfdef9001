/**
 * The events `trainguard watch --server` records: `watch.scan` for every verdict and
 * `watch.quarantine` for every file moved to quarantine. Same OCSF shape as `scan.file` (see
 * result-events.ts and docs/server.md); class 2004 is OCSF "Detection Finding".
 */
import type { EventInput } from "../events/index.js";
import { sha256File, type WatchOutcome } from "../watch/index.js";
import type { RecordTarget } from "./record-results.js";
import { eventBase, eventText, scanResultEvent } from "./result-events.js";

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
  const scan = scanResultEvent("watch.scan", result, outcome.path, sha256, target);
  const events: EventInput[] = [scan];
  if (quarantined !== undefined) {
    events.push({
      ...eventBase(target),
      activity: "watch.quarantine",
      severity_id: scan.severity_id ?? 5,
      resources: scan.resources ?? [],
      outcome: {
        status: "success",
        code: "quarantined",
        message: eventText(`Moved to quarantine as ${quarantined.id}`),
      },
      details: {
        quarantine_id: quarantined.id,
        stored_path: eventText(quarantined.storedPath),
        verdict: quarantined.verdict,
        by: eventText(quarantined.by),
      },
    });
  }
  return events;
}
