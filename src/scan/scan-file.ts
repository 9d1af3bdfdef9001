/**
 * Scans one file: opens it for random access, decides its format by content, and turns the
 * findings into a verdict. Never throws for what the file contains; a file that cannot be
 * opened or read is reported `unscannable`.
 */
import { FileSource } from "../formats/byte-source.js";
import { FormatError } from "../formats/format-error.js";
import { at, FindingCollector, type ModelDataFile, type ScanContext } from "./context.js";
import { DEFAULT_SCAN_LIMITS, type ScanLimits, type ScanOptions } from "./options.js";
import { Allowlist } from "./policy/classify-global.js";
import { finding } from "./rules.js";
import { scanBytes, scanSource } from "./scan-source.js";
import type { MemberScan } from "./scan-zip.js";
import type { FileResult } from "./types.js";

export function resolveLimits(options: ScanOptions): ScanLimits {
  return { ...DEFAULT_SCAN_LIMITS, ...options.limits };
}

function makeContext(
  allow: Allowlist,
  limits: ScanLimits,
  collector: FindingCollector,
  depth: number,
  path?: string,
  dataFiles?: ModelDataFile[],
): ScanContext {
  const ctx: ScanContext = {
    allow,
    limits,
    collector,
    depth,
    ...(path === undefined ? {} : { path }),
    ...(dataFiles === undefined ? {} : { dataFiles }),
    scanNested: async (bytes, member, nextDepth): Promise<MemberScan> => {
      if (nextDepth > limits.maxNesting) {
        collector.add(
          finding(
            "scan/limit-exceeded",
            `Cannot scan deeper than ${limits.maxNesting} nested containers`,
            at(member),
          ),
        );
        return { format: "nested", persistentIds: [], calls: [] };
      }
      return scanBytes(bytes, member, makeContext(allow, limits, collector, nextDepth));
    },
  };
  return ctx;
}

/** Scans in-memory bytes as if they were a file (used by the load guard and tests). */
export async function scanBuffer(
  bytes: Uint8Array,
  path: string,
  options: ScanOptions = {},
): Promise<FileResult> {
  const limits = resolveLimits(options);
  const collector = new FindingCollector(limits.maxFindings);
  const ctx = makeContext(new Allowlist(options.allow), limits, collector, 0);
  return finish(path, bytes.length, bytes.length, collector, () => scanBytes(bytes, "", ctx));
}

export async function scanFile(path: string, options: ScanOptions = {}): Promise<FileResult> {
  return (await scanFileWithData(path, options)).result;
}

/** A file's result and the data files its model names (for the folder scan's cross-check). */
export interface FileScan {
  readonly result: FileResult;
  readonly dataFiles: readonly ModelDataFile[];
}

export async function scanFileWithData(path: string, options: ScanOptions = {}): Promise<FileScan> {
  const dataFiles: ModelDataFile[] = [];
  return { result: await scanOneFile(path, options, dataFiles), dataFiles };
}

async function scanOneFile(
  path: string,
  options: ScanOptions,
  dataFiles: ModelDataFile[],
): Promise<FileResult> {
  const limits = resolveLimits(options);
  const collector = new FindingCollector(limits.maxFindings);
  const ctx = makeContext(new Allowlist(options.allow), limits, collector, 0, path, dataFiles);
  let source: FileSource;
  try {
    source = await FileSource.open(path);
  } catch (error) {
    collector.add(finding("scan/unscannable", `Cannot open file: ${(error as Error).message}`, {}));
    return {
      path,
      format: "unknown",
      verdict: collector.verdict,
      findings: collector.findings,
      size: 0,
      bytesRead: 0,
    };
  }
  try {
    return await finish(
      path,
      source.size,
      () => source.bytesRead,
      collector,
      () => scanSource(source, undefined, ctx),
    );
  } finally {
    await source.close();
  }
}

async function finish(
  path: string,
  size: number,
  bytesRead: number | (() => number),
  collector: FindingCollector,
  run: () => Promise<MemberScan>,
): Promise<FileResult> {
  let format = "unknown";
  try {
    format = (await run()).format;
  } catch (error) {
    // A parser error that escaped its format scanner still means "not read to the end"; any
    // other error is our bug, and a hostile file must get a report, not a crash.
    if (error instanceof FormatError) {
      const rule = error.code === "LIMIT_EXCEEDED" ? "scan/limit-exceeded" : "scan/unscannable";
      collector.add(finding(rule, error.message, at(undefined, error.offset)));
    } else if (
      error instanceof Error &&
      typeof (error as NodeJS.ErrnoException).code === "string"
    ) {
      collector.add(finding("scan/unscannable", `Cannot read file: ${error.message}`, {}));
    } else {
      const why = error instanceof Error ? error.message : String(error);
      collector.add(finding("scan/unscannable", `Cannot finish scan: internal error '${why}'`, {}));
    }
  }
  if (collector.dropped > 0) {
    collector.findings.push({
      rule: "scan/limit-exceeded",
      severity: "info",
      message: `${collector.dropped} more findings not shown`,
      location: {},
      verdict: collector.verdict,
    });
  }
  return {
    path,
    format,
    verdict: collector.verdict,
    findings: collector.findings,
    size,
    bytesRead: typeof bytesRead === "number" ? bytesRead : bytesRead(),
  };
}
