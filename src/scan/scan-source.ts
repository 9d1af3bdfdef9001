/**
 * Decides what bytes are by their content (never their name) and sends them to the scanner for
 * that format. Containers call back in here for their members, bounded by the nesting limit.
 */
import { BufferSource, type ByteSource } from "../formats/byte-source.js";
import { decompressBounded, sniffCompression } from "../formats/compress/index.js";
import { FormatError } from "../formats/format-error.js";
import { sniffPickle } from "../formats/pickle/index.js";
import { readZipDirectory, sniffZip } from "../formats/zip/index.js";
import { at, joinMember, type ScanContext } from "./context.js";
import { readWhole } from "./read-whole.js";
import { finding } from "./rules.js";
import { isGguf, scanGguf } from "./scan-gguf.js";
import { isKerasH5, scanKerasH5 } from "./scan-keras.js";
import { isNpy, scanNpy } from "./scan-npy.js";
import { isOnnx, scanOnnx } from "./scan-onnx.js";
import { runsAsPickle, scanPickleBytes } from "./scan-pickle.js";
import { isSafetensors, scanSafetensors } from "./scan-safetensors.js";
import { isSavedModel, scanSavedModel } from "./scan-savedmodel.js";
import {
  isKerasMetadata,
  isTfFingerprint,
  scanKerasMetadata,
  scanTfFingerprint,
} from "./scan-savedmodel-sidecars.js";
import { isTar, scanTar } from "./scan-tar.js";
import { type MemberScan, scanZip } from "./scan-zip.js";

const HEAD_BYTES = 512;
/** Output any compressed input may reach whatever its ratio. */
const RATIO_FLOOR_BYTES = 64 * 1024 * 1024;
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];

const startsWith = (bytes: Uint8Array, magic: readonly number[]) =>
  magic.every((b, i) => bytes[i] === b);

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Text a person wrote (configs, code, READMEs): valid UTF-8 with no control bytes but whitespace. */
function isText(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  try {
    UTF8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const NO_PICKLE = { persistentIds: [], calls: [] } as const;

export async function scanSource(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
): Promise<MemberScan> {
  if (source.size === 0) return { format: "empty", ...NO_PICKLE };
  const head = await source.read(0, Math.min(HEAD_BYTES, source.size));
  const nested = (bytes: Uint8Array, name: string) =>
    ctx.scanNested(bytes, name, ctx.depth + 1) as Promise<MemberScan>;

  if (startsWith(head, ZIP_LOCAL) || startsWith(head, ZIP_EMPTY)) {
    try {
      const zip = await scanZip(source, member, ctx, nested);
      return { format: zip.format, ...NO_PICKLE };
    } catch (error) {
      // torch.load commits to the zip reader on these first four bytes: no directory, no load.
      if (!(error instanceof FormatError)) throw error;
      ctx.collector.add(
        finding("zip/unreadable", `Cannot read zip archive: ${error.message}`, at(member)),
      );
      return { format: "zip", ...NO_PICKLE };
    }
  }
  const compression = sniffCompression(head);
  if (compression === "gzip" || compression === "zlib") {
    const packed = await readWhole(source, "the input", member, ctx);
    if (packed === undefined) return { format: compression, ...NO_PICKLE };
    let inner: Uint8Array;
    try {
      // A high ratio alone is no bomb (zeroed tensors compress well); only past a floor.
      const byRatio = Math.max(RATIO_FLOOR_BYTES, packed.length * ctx.limits.maxDecompressionRatio);
      inner = decompressBounded(
        compression,
        packed,
        Math.min(ctx.limits.maxDecompressedBytes, byRatio),
      );
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      const rule =
        error.code === "LIMIT_EXCEEDED" ? "format/decompression-limit" : "pickle/unreadable";
      ctx.collector.add(
        finding(rule, `Cannot decompress ${compression} data: ${error.message}`, at(member)),
      );
      return { format: compression, ...NO_PICKLE };
    }
    const result = await nested(inner, joinMember(member, `<${compression}>`));
    return { ...result, format: `${compression}+${result.format}` };
  }
  if (compression !== null) {
    ctx.collector.add(
      finding(
        "format/unsupported-compression",
        `Is ${compression}-compressed, which trainguard does not unpack: not scanned`,
        at(member),
        compression === "7z" ? { reference: "technique 26 (nullifAI 7z archives)" } : {},
      ),
    );
    return { format: compression, ...NO_PICKLE };
  }
  // Formats with a magic number or a header checked to its end; order matters only where one
  // sniff could accept another's bytes (none of these can: see each isX).
  const size = source.size;
  if (isGguf(head, size)) return { ...(await scanGguf(source, member, ctx)), ...NO_PICKLE };
  if (isNpy(head)) return { ...(await scanNpy(source, member, ctx)), ...NO_PICKLE };
  if (isTar(head)) return { format: await scanTar(source, member, ctx), ...NO_PICKLE };
  if (isKerasH5(head, size)) return { ...(await scanKerasH5(source, member, ctx)), ...NO_PICKLE };
  if (isSafetensors(head, size)) {
    return { ...(await scanSafetensors(source, member, ctx)), ...NO_PICKLE };
  }
  if (isSavedModel(head, size)) {
    return { ...(await scanSavedModel(source, member, ctx)), ...NO_PICKLE };
  }
  // The SavedModel's side files: their first tags are bytes no pickle opcode, text or other
  // magic starts with (0x0a plus a control byte; 0x08 then 0x10).
  if (isKerasMetadata(head, size)) {
    return { ...(await scanKerasMetadata(source, member, ctx)), ...NO_PICKLE };
  }
  if (isTfFingerprint(head, size)) {
    return { ...(await scanTfFingerprint(source, member, ctx)), ...NO_PICKLE };
  }
  if (isOnnx(head, size)) {
    // External data is resolved against the model's real folder only for a file on disk.
    const modelPath = member === undefined ? ctx.path : undefined;
    return { ...(await scanOnnx(source, member, ctx, modelPath)), ...NO_PICKLE };
  }

  const isZip = await sniffZip(source);
  const bytes =
    head.length === source.size ? head : await readWhole(source, "the input", member, ctx);
  if (bytes === undefined) return { format: "unknown", ...NO_PICKLE };
  if (sniffPickle(bytes) || runsAsPickle(bytes)) {
    const report = await scanPickleBytes(bytes, member, ctx);
    // A pickle that ends where a zip begins is a polyglot (technique 24): torch.load and
    // pickle.load run the pickle, zip readers (and so other scanners) see only the archive.
    if (isZip && report.end < bytes.length && (await zipStartsAfter(source, report.end))) {
      ctx.collector.add(
        finding(
          "format/polyglot",
          `Is a pickle followed by a zip archive at offset ${report.end}: loaders disagree on which runs`,
          at(member, report.end),
          { reference: "technique 24 (pickle and zip polyglot)" },
        ),
      );
      const zip = await scanZip(source, member, ctx, nested, report.end);
      return {
        format: `pickle+${zip.format}`,
        persistentIds: report.persistentIds,
        calls: report.calls,
      };
    }
    return { format: report.format, persistentIds: report.persistentIds, calls: report.calls };
  }
  if (isZip) {
    const zip = await scanZip(source, member, ctx, nested);
    return { format: zip.format, ...NO_PICKLE };
  }
  if (isText(bytes)) return { format: "text", ...NO_PICKLE };
  ctx.collector.add(
    finding("format/unknown", "Is in no format trainguard can read: not scanned", at(member)),
  );
  return { format: "unknown", ...NO_PICKLE };
}

/** Whether the zip whose end record closes `source` starts at or after `offset`. */
async function zipStartsAfter(source: ByteSource, offset: number): Promise<boolean> {
  try {
    const archive = await readZipDirectory(source);
    const first = Math.min(
      archive.centralDirectoryOffset,
      ...archive.entries.map((e) => e.localHeaderOffset),
    );
    return first >= offset;
  } catch (error) {
    if (error instanceof FormatError) return false;
    throw error;
  }
}

/** Scans bytes held in memory (a member, a decompressed stream, a loader's argument). */
export function scanBytes(
  bytes: Uint8Array,
  member: string,
  ctx: ScanContext,
): Promise<MemberScan> {
  return scanSource(new BufferSource(bytes), member, ctx);
}
