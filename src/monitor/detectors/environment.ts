/**
 * The environment a rank trains in: Python startup hooks (`.pth` import lines, sitecustomize,
 * usercustomize: ATT&CK T1546.018) run code in every interpreter before the job does, and ranks of
 * one run, or attempts of one run, that report different environment digests did not run the
 * same code. Both are warnings: they have innocent uses, and they explain other alerts.
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { TelemetryRecord } from "../telemetry.js";

export class EnvironmentDrift implements Detector {
  readonly name = "environment";
  #firstDigest: { readonly rank: number; readonly digest: string } | undefined;

  onRecord(record: TelemetryRecord, context: DetectorContext): void {
    if (record.type !== "start") return;
    const hooks = record.startupHooks ?? [];
    if (hooks.length > 0) {
      context.emit({
        severity: "warning",
        rank: record.rank,
        step: null,
        message: `rank ${record.rank} runs Python startup hooks: ${hooks.slice(0, 3).join("; ")}${hooks.length > 3 ? " …" : ""}`,
        evidence: { startup_hooks: hooks, host: record.host },
        key: `hooks${hooks.join("\u0000")}`,
      });
    }
    if (record.envDigest === undefined) return;
    if (this.#firstDigest === undefined) {
      this.#firstDigest = { rank: record.rank, digest: record.envDigest };
      return;
    }
    if (this.#firstDigest.digest === record.envDigest) return;
    context.emit({
      severity: "warning",
      rank: record.rank,
      step: null,
      message:
        `rank ${record.rank}${record.host === undefined ? "" : ` on ${record.host}`} runs a different ` +
        `Python environment from rank ${this.#firstDigest.rank}'s first start`,
      evidence: {
        env_digest: record.envDigest,
        reference_env_digest: this.#firstDigest.digest,
        reference_rank: this.#firstDigest.rank,
      },
      key: `env${record.envDigest}`,
    });
  }
}
