/** A scan context for the safetensors, GGUF and ONNX scanner tests, and a helper to run one. */
import { BufferSource, type ByteSource } from "../../formats/byte-source.js";
import { FindingCollector, type ScanContext } from "../context.js";
import { DEFAULT_SCAN_LIMITS } from "../options.js";
import { Allowlist } from "../policy/classify-global.js";
import type { Finding, Verdict } from "../types.js";

export function formatContext(): ScanContext {
  return {
    allow: new Allowlist([]),
    limits: DEFAULT_SCAN_LIMITS,
    collector: new FindingCollector(),
    depth: 0,
    scanNested: async () => ({ format: "nested" }),
  };
}

export interface FormatScan {
  readonly format: string;
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  readonly rules: readonly string[];
  readonly bytesRead: number;
}

export async function runScanner(
  scan: (
    source: ByteSource,
    member: string | undefined,
    ctx: ScanContext,
  ) => Promise<{ format: string }>,
  bytes: Uint8Array | ByteSource,
): Promise<FormatScan> {
  const source = bytes instanceof Uint8Array ? new BufferSource(bytes) : bytes;
  const ctx = formatContext();
  const { format } = await scan(source, undefined, ctx);
  const findings = ctx.collector.findings;
  return {
    format,
    verdict: ctx.collector.verdict,
    findings,
    rules: findings.map((f) => f.rule),
    bytesRead: source.bytesRead,
  };
}
