/**
 * Scans bytes that a pickle loader would read: one or more consecutive streams (what repeated
 * `pickle.load` calls run), the legacy PyTorch layout, and joblib files with inline arrays.
 */
import { type PickleStream, type PickleValue, readPickleStreams } from "../formats/pickle/index.js";
import { at, type ScanContext } from "./context.js";
import { reportLegacyStorages } from "./legacy-storages.js";
import { type PickleReport, reportPickleStreams } from "./pickle-findings.js";
import { finding } from "./rules.js";

/** `torch/serialization.py` MAGIC_NUMBER, the first stream of a legacy checkpoint. */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
/** Magic, protocol version, sys_info, the object, then the storage keys (`_legacy_save`). */
const LEGACY_STREAMS = 5;
const JOBLIB_WRAPPER = "joblib.numpy_pickle.NumpyArrayWrapper";

export interface PickleScan extends PickleReport {
  readonly format: "pickle" | "pytorch-legacy" | "joblib";
  /** Offset just after the last stream that reached STOP (0 when none did). */
  readonly end: number;
}

function completedEnd(streams: readonly PickleStream[]): number {
  let end = 0;
  for (const stream of streams) if (stream.error === undefined) end = stream.end;
  return end;
}

function reportErrors(
  streams: readonly PickleStream[],
  member: string | undefined,
  ctx: ScanContext,
) {
  for (const [index, stream] of streams.entries()) {
    const error = stream.error;
    if (error === undefined) continue;
    const where = at(member, error.offset ?? stream.end, streams.length > 1 ? index : undefined);
    if (index > 0 && stream.opcodeCounts.size === 0) {
      // Bytes after STOP that do not even start an opcode: pickle.load never reads them, but
      // they are not a model structure either (technique 20).
      ctx.collector.add(
        finding(
          "pickle/trailing-data",
          `Has ${stream.end > stream.start ? "" : ""}data after the last pickle stream at offset ${stream.start} that is not a pickle`,
          where,
          { reference: "technique 20 (trailing garbage after STOP)" },
        ),
      );
    } else if (error.code === "LIMIT_EXCEEDED") {
      ctx.collector.add(finding("scan/limit-exceeded", error.message, where));
    } else {
      ctx.collector.add(
        finding("pickle/unreadable", `Cannot read pickle to its end: ${error.message}`, where, {
          reference: "technique 19 (stream broken after the payload)",
        }),
      );
    }
  }
}

function isLegacyMagic(value: PickleValue | undefined): boolean {
  return value?.kind === "int" && value.value === LEGACY_MAGIC;
}

export async function scanPickleBytes(
  bytes: Uint8Array,
  member: string | undefined,
  ctx: ScanContext,
): Promise<PickleScan> {
  const limits = { maxOpcodes: ctx.limits.maxOpcodes };
  const first = readPickleStreams(bytes, 0, { limits, maxStreams: 1 });
  const head = first[0];
  // Later streams continue where the first ended, each with a fresh machine and memo.
  const more = (count: number) =>
    head === undefined || head.error !== undefined || count <= 0
      ? []
      : readPickleStreams(bytes, head.end, { limits, maxStreams: count });
  if (head !== undefined && isLegacyMagic(head.result)) {
    const streams = [...first, ...more(LEGACY_STREAMS - 1)];
    reportErrors(streams, member, ctx);
    const report = await reportPickleStreams(streams, member, ctx);
    const last = streams[streams.length - 1];
    if (streams.length === LEGACY_STREAMS && last !== undefined && last.error === undefined) {
      reportLegacyStorages(bytes, last, report.persistentIds, member, ctx);
    } else if (streams.every((s) => s.error === undefined)) {
      ctx.collector.add(
        finding(
          "torch/legacy-layout",
          "Legacy checkpoint ends before its five pickles",
          at(member),
        ),
      );
    }
    return { ...report, format: "pytorch-legacy", end: bytes.length };
  }

  const streams = [...first, ...more(ctx.limits.maxStreams - 1)];
  const plainImports = streams.flatMap((s) => s.imports);
  if (plainImports.some((imp) => `${imp.module}.${imp.name}` === JOBLIB_WRAPPER)) {
    // joblib's reader skips the inline array bytes that plain pickle.load would read as opcodes.
    const joblib = readPickleStreams(bytes, 0, {
      limits,
      maxStreams: ctx.limits.maxStreams,
      joblibInlineArrays: true,
    });
    reportErrors(joblib, member, ctx);
    const report = await reportPickleStreams(joblib, member, ctx);
    return { ...report, format: "joblib", end: completedEnd(joblib) };
  }
  reportErrors(streams, member, ctx);
  const report = await reportPickleStreams(streams, member, ctx);
  if (streams.length >= ctx.limits.maxStreams && streams.at(-1)?.end !== bytes.length) {
    ctx.collector.add(
      finding(
        "scan/limit-exceeded",
        `Cannot read more than ${ctx.limits.maxStreams} pickle streams`,
        at(member),
      ),
    );
  }
  return { ...report, format: "pickle", end: completedEnd(streams) };
}

/**
 * Whether `pickle.load` would do anything at all with these bytes before failing: some input
 * that no sniffer calls a pickle still runs imports and calls.
 */
export function runsAsPickle(bytes: Uint8Array): boolean {
  const [stream] = readPickleStreams(bytes, 0, { maxStreams: 1 });
  if (stream === undefined) return false;
  // find_class can only import dotted identifiers; text that merely starts with "c" fails there.
  const importable = stream.imports.some(
    (imp) =>
      (imp.module === null || IDENTIFIER_PATH.test(imp.module)) &&
      (imp.name === null || IDENTIFIER_PATH.test(imp.name)),
  );
  let executed = 0;
  for (const count of stream.opcodeCounts.values()) executed += count;
  // A run of valid opcodes before the error, or input that ends inside an opcode, is a damaged
  // pickle, not text that happens to start with an opcode byte: report it, never pass it.
  return (
    stream.error === undefined ||
    importable ||
    stream.calls.length > 0 ||
    executed >= MIN_OPCODES_FOR_PICKLE ||
    (stream.error.code === "TRUNCATED" && (stream.error.offset ?? bytes.length) < bytes.length)
  );
}

/** Prose and code stop within one or two opcodes; a damaged protocol-0 pickle runs on. */
const MIN_OPCODES_FOR_PICKLE = 4;

const IDENTIFIER_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
