import type { CentralRecord } from "./central-directory.js";
import {
  FLAG_ENCRYPTED,
  FLAG_STRONG_ENCRYPTION,
  METHOD_DEFLATED,
  METHOD_STORED,
  USUAL_FLAGS,
} from "./signatures.js";
import type { ZipAnomaly } from "./types.js";

const hex = (value: number): string => `0x${value.toString(16)}`;

/**
 * Per-entry anomalies that need only the central and local headers: flags (CVE-2025-1945 sets
 * 0x1/0x20/0x40 to make Python's zipfile refuse what torch loads), methods, entry comments.
 */
export function entryAnomalies(
  central: CentralRecord,
  localFlags: number,
  localOffset: number,
): ZipAnomaly[] {
  const anomalies: ZipAnomaly[] = [];
  const entry = central.name;
  for (const [where, flags, offset] of [
    ["central", central.flags, central.offset],
    ["local", localFlags, localOffset],
  ] as const) {
    const unusual = flags & ~USUAL_FLAGS;
    if (unusual !== 0) {
      anomalies.push({
        code: "flag-bits",
        offset,
        entry,
        detail: `${where} flags "${hex(flags)}" set "${hex(unusual)}"`,
      });
    }
    if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) {
      anomalies.push({
        code: "encrypted",
        offset,
        entry,
        detail: `${where} flags "${hex(flags)}" mark encryption`,
      });
    }
  }
  if (central.method !== METHOD_STORED && central.method !== METHOD_DEFLATED) {
    anomalies.push({
      code: "unknown-compression",
      offset: central.offset,
      entry,
      detail: `method "${central.method}"`,
    });
  }
  if (central.commentLength > 0) {
    anomalies.push({
      code: "comment",
      offset: central.offset,
      entry,
      detail: `entry comment of "${central.commentLength}" bytes`,
    });
  }
  return anomalies;
}
