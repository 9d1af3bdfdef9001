/**
 * A scan context and a small dispatcher for the Keras and SavedModel scanners, used by their
 * tests until `scan-source.ts` routes these formats itself.
 */
import { BufferSource, type ByteSource } from "../../formats/byte-source.js";
import { readZipDirectory, readZipMember } from "../../formats/zip/index.js";
import { FindingCollector, type ScanContext } from "../context.js";
import { isKerasZip, kerasZipFindings } from "../keras-findings.js";
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from "../options.js";
import { Allowlist } from "../policy/classify-global.js";
import { isKerasH5, scanKerasH5 } from "../scan-keras.js";
import { isSavedModel, scanSavedModel } from "../scan-savedmodel.js";
import type { Finding, Verdict } from "../types.js";

export function testContext(
  allow: readonly string[] = [],
  limits: Partial<ScanLimits> = {},
): ScanContext {
  return {
    allow: new Allowlist(allow),
    limits: { ...DEFAULT_SCAN_LIMITS, ...limits },
    collector: new FindingCollector(),
    depth: 0,
    scanNested: async () => ({ format: "nested" }),
  };
}

export interface TestScan {
  readonly format: string;
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  readonly rules: readonly string[];
}

/** Scans `source` as the lead's wiring will: HDF5, SavedModel, or a `.keras` zip. */
export async function scanKerasOrTf(source: ByteSource, ctx = testContext()): Promise<TestScan> {
  const head = await source.read(0, Math.min(512, source.size));
  let format = "unknown";
  if (isKerasH5(head, source.size)) format = (await scanKerasH5(source, undefined, ctx)).format;
  else if (isSavedModel(head, source.size)) {
    format = (await scanSavedModel(source, undefined, ctx)).format;
  } else {
    const archive = await readZipDirectory(source);
    const names = archive.entries.map((e) => e.name);
    if (!isKerasZip(names)) throw new Error("not a Keras zip");
    format = "keras";
    for (const entry of archive.entries) {
      const { bytes } = await readZipMember(source, entry, ctx.limits.maxReadBytes);
      if (entry.name === "config.json") {
        kerasZipFindings(new TextDecoder().decode(bytes), entry.name, ctx);
      } else if (isKerasH5(bytes.subarray(0, 512), bytes.length)) {
        await scanKerasH5(new BufferSource(bytes), entry.name, ctx);
      }
    }
  }
  const findings = ctx.collector.findings;
  return { format, verdict: ctx.collector.verdict, findings, rules: findings.map((f) => f.rule) };
}

export function scanKerasOrTfBytes(bytes: Uint8Array, ctx = testContext()): Promise<TestScan> {
  return scanKerasOrTf(new BufferSource(bytes), ctx);
}
