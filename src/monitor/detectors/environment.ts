/**
 * The environment a rank trains in: Python startup hooks (`.pth` import lines, sitecustomize,
 * usercustomize: ATT&CK T1546.018) run code in every interpreter before the job does, and ranks of
 * one run, or attempts of one run, that report different environment digests did not run the
 * same code. Both are warnings: they have innocent uses, and they explain other alerts. Stock
 * hooks (KNOWN_HOOKS) are not reported.
 */
import type { Detector, DetectorContext } from "../detector.js";
import type { TelemetryRecord } from "../telemetry.js";

/**
 * Hooks every stock installation has, matched on their whole text, so an edited copy is still
 * reported: setuptools' distutils shim, Debian's own sitecustomize, and trainguard's load guard.
 */
const KNOWN_HOOKS: readonly RegExp[] = [
  /^pth \S*\/distutils-precedence\.pth: import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os\.environ\.get\(var, 'local'\) == 'local'; enabled and __import__\('_distutils_hack'\)\.add_shim\(\); ?$/,
  /^sitecustomize \/usr\/lib\/python3(\.\d+)?\/sitecustomize\.py$/,
  /^pth \S*\/trainguard-guard\.pth: import os, sys; exec\("try:\\n import trainguard\._hook\\n trainguard\._hook\.activate\(\)\\nexcept BaseException as e:\\n sys\.stderr\.write\('trainguard: Cannot install the load guard: %r\\\\n' % \(e,\)\)"\) if os\.environ\.get\("TRAINGUARD_GUARD", ""\) not in \("", "0", "off"\) else None$/,
];

export function isKnownHook(hook: string): boolean {
  return KNOWN_HOOKS.some((pattern) => pattern.test(hook));
}

export class EnvironmentDrift implements Detector {
  readonly name = "environment";
  #firstDigest: { readonly rank: number; readonly digest: string } | undefined;

  onRecord(record: TelemetryRecord, context: DetectorContext): void {
    if (record.type !== "start") return;
    const hooks = (record.startupHooks ?? []).filter((h) => !isKnownHook(h));
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
