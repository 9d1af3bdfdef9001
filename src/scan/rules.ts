/**
 * Every rule the scanner reports, with its default severity and the verdict it implies.
 * Rule ids are stable: users filter and suppress by them. Documented in `docs/rules.md`.
 */
import type { Finding, FindingLocation, Severity, Verdict } from "./types.js";

interface RuleInfo {
  readonly severity: Severity;
  readonly verdict: Verdict;
}

const r = (severity: Severity, verdict: Verdict): RuleInfo => ({ severity, verdict });

export const RULES = {
  "pickle/dangerous-global": r("critical", "dangerous"),
  "pickle/computed-global": r("critical", "dangerous"),
  "pickle/non-literal-callable": r("critical", "dangerous"),
  "pickle/unknown-global": r("medium", "suspicious"),
  "pickle/training-state": r("high", "dangerous"),
  "pickle/build-on-global": r("critical", "dangerous"),
  "pickle/extension-opcode": r("high", "dangerous"),
  "pickle/nested-loader": r("high", "suspicious"),
  "pickle/frame-violation": r("high", "dangerous"),
  "pickle/memo-overwrite": r("medium", "suspicious"),
  "pickle/discarded-call": r("medium", "suspicious"),
  "pickle/out-of-band-buffer": r("medium", "suspicious"),
  "pickle/weights-only-incompatible": r("info", "clean"),
  "pickle/unreadable": r("high", "unscannable"),
  "pickle/trailing-data": r("medium", "unscannable"),
  "zip/duplicate-name": r("high", "suspicious"),
  "zip/local-name-mismatch": r("high", "suspicious"),
  "zip/local-header-mismatch": r("high", "suspicious"),
  "zip/crc-mismatch": r("high", "suspicious"),
  "zip/flag-bits": r("high", "suspicious"),
  "zip/unknown-compression": r("high", "unscannable"),
  "zip/data-outside-members": r("medium", "suspicious"),
  "zip/overlapping-members": r("high", "suspicious"),
  "zip/unreadable": r("high", "unscannable"),
  "torch/missing-storage": r("medium", "suspicious"),
  "torch/storage-size-mismatch": r("high", "suspicious"),
  "torch/torchscript-code": r("medium", "suspicious"),
  "torch/legacy-layout": r("high", "unscannable"),
  "numpy/object-array": r("info", "clean"),
  "numpy/size-mismatch": r("medium", "suspicious"),
  "format/polyglot": r("high", "suspicious"),
  "format/unknown": r("medium", "unscannable"),
  "format/model-data": r("info", "clean"),
  "format/unsupported-compression": r("medium", "unscannable"),
  "format/decompression-limit": r("high", "unscannable"),
  "safetensors/malformed": r("high", "unscannable"),
  "gguf/malformed": r("high", "unscannable"),
  "gguf/template-injection": r("critical", "dangerous"),
  "onnx/external-data-path": r("critical", "dangerous"),
  "onnx/custom-domain": r("medium", "suspicious"),
  "onnx/malformed": r("high", "unscannable"),
  "keras/lambda": r("critical", "dangerous"),
  "keras/unsafe-module": r("high", "suspicious"),
  "keras/safe-mode-off": r("critical", "dangerous"),
  "keras/malformed": r("high", "unscannable"),
  "tf/file-op": r("critical", "dangerous"),
  "tf/custom-op": r("medium", "suspicious"),
  "tf/malformed": r("high", "unscannable"),
  "hf/remote-code": r("high", "suspicious"),
  "scan/limit-exceeded": r("high", "unscannable"),
  "scan/unscannable": r("high", "unscannable"),
  "scan/symlink-skipped": r("medium", "unscannable"),
  "scan/not-regular-file": r("medium", "unscannable"),
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

export interface FindingExtras {
  readonly reference?: string | undefined;
  /** Overrides the rule's default severity (for example a danger category). */
  readonly severity?: Severity;
  /** Overrides the verdict the rule implies, for rules whose weight depends on the case. */
  readonly verdict?: Verdict;
}

export function finding(
  rule: RuleId,
  message: string,
  location: FindingLocation,
  extras: FindingExtras = {},
): Finding {
  const info = RULES[rule];
  const out: Finding = {
    rule,
    severity: extras.severity ?? info.severity,
    message,
    location,
    verdict: extras.verdict ?? info.verdict,
  };
  if (extras.reference !== undefined) out.reference = extras.reference;
  return out;
}
