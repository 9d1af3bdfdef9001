/**
 * Zip archives: PyTorch checkpoints, TorchScript archives, `.npz` and anything else zipped.
 * The directory is read the way PyTorch's miniz reader does; every member is sniffed by
 * content, except storage members that the pickles reference, which are data: they are checked
 * for existence and size but never read. Reader differentials are findings.
 */
import type { ByteSource } from "../formats/byte-source.js";
import { FormatError } from "../formats/format-error.js";
import { asSafeInt, asSequence, globalName, type PickleValue } from "../formats/pickle/index.js";
import {
  archiveRootFolder,
  DEFAULT_ZIP_LIMITS,
  readZipDirectory,
  readZipMember,
  type ZipAnomalyCode,
  type ZipArchive,
  type ZipEntry,
} from "../formats/zip/index.js";
import { at, joinMember, type ScanContext } from "./context.js";
import { isKerasZip, kerasZipFindings } from "./keras-findings.js";
import { finding, type RuleId } from "./rules.js";
import { runsAsPickle } from "./scan-pickle.js";
import { type StorageRef, storageRefs } from "./storage-refs.js";

const ANOMALY_RULES: Record<ZipAnomalyCode, readonly [RuleId, string | undefined]> = {
  "duplicate-name": ["zip/duplicate-name", undefined],
  "local-name-mismatch": ["zip/local-name-mismatch", "CVE-2025-1944"],
  "local-header-mismatch": ["zip/local-header-mismatch", undefined],
  "flag-bits": ["zip/flag-bits", "CVE-2025-1945"],
  "unknown-compression": ["zip/unknown-compression", undefined],
  "data-outside-members": ["zip/data-outside-members", "technique 24 (polyglots)"],
  "overlapping-members": ["zip/overlapping-members", undefined],
  comment: ["zip/data-outside-members", undefined],
  "multiple-eocd": ["zip/data-outside-members", undefined],
  encrypted: ["zip/flag-bits", "CVE-2025-1945"],
};

/** Functions that rebuild a tensor as (storage, storage_offset, size, stride, ...). */
const TENSOR_REBUILDERS = new Set([
  "torch._utils._rebuild_tensor_v2",
  "torch._utils._rebuild_tensor",
]);

export interface ZipScan {
  readonly format: string;
}

/** What scanning one member yields that the archive-level checks need. */
export interface MemberScan {
  readonly format: string;
  readonly persistentIds: readonly PickleValue[];
  readonly calls: readonly { readonly callee: PickleValue; readonly args: PickleValue }[];
}

async function readMember(
  source: ByteSource,
  entry: ZipEntry,
  member: string,
  ctx: ScanContext,
): Promise<Uint8Array | undefined> {
  try {
    const { bytes, crcOk } = await readZipMember(source, entry, ctx.limits.maxReadBytes);
    if (!crcOk) {
      ctx.collector.add(
        finding(
          "zip/crc-mismatch",
          `Member '${entry.name}' does not match its CRC-32`,
          at(member),
          {
            reference: "CVE-2025-10156",
          },
        ),
      );
    }
    return bytes;
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    const rule = error.code === "LIMIT_EXCEEDED" ? "scan/limit-exceeded" : "zip/unreadable";
    ctx.collector.add(
      finding(rule, `Cannot read member '${entry.name}': ${error.message}`, at(member)),
    );
    return undefined;
  }
}

/** Largest element index a tensor touches, from its storage offset, sizes and strides. */
function tensorExtent(args: readonly PickleValue[]): number | undefined {
  const offset = asSafeInt(args[1]);
  const sizes = asSequence(args[2])?.map(asSafeInt);
  const strides = asSequence(args[3])?.map(asSafeInt);
  if (offset === undefined || sizes === undefined || strides === undefined) return undefined;
  if (sizes.length !== strides.length) return undefined;
  let extent = offset;
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i];
    const stride = strides[i];
    if (size === undefined || stride === undefined || size < 0 || stride < 0) return undefined;
    if (size === 0) return offset;
    extent += (size - 1) * stride;
  }
  return extent + 1;
}

function checkStorages(
  archive: ZipArchive,
  prefix: string,
  refs: ReadonlyMap<string, StorageRef>,
  extents: ReadonlyMap<string, number>,
  member: string | undefined,
  ctx: ScanContext,
): void {
  const byName = new Map(archive.entries.map((entry) => [entry.name, entry]));
  for (const ref of refs.values()) {
    const name = `${prefix}data/${ref.key}`;
    const entry = byName.get(name);
    const where = at(joinMember(member, name));
    if (entry === undefined) {
      ctx.collector.add(
        finding("torch/missing-storage", `Storage '${ref.key}' has no member '${name}'`, where),
      );
      continue;
    }
    const need = ref.elementSize === undefined ? undefined : ref.numel * ref.elementSize;
    if (need !== undefined && entry.uncompressedSize !== need) {
      ctx.collector.add(
        finding(
          "torch/storage-size-mismatch",
          `Storage '${ref.key}' is ${entry.uncompressedSize} bytes, its reference says ${need}`,
          where,
        ),
      );
    }
    const extent = extents.get(ref.key);
    if (extent !== undefined && extent > ref.numel) {
      ctx.collector.add(
        finding(
          "torch/storage-size-mismatch",
          `A tensor reaches element ${extent} of storage '${ref.key}', which holds ${ref.numel}`,
          where,
        ),
      );
    }
  }
}

export async function scanZip(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
  scanMember: (bytes: Uint8Array, name: string) => Promise<MemberScan>,
  /** Bytes before this offset were already scanned (the pickle of a polyglot). */
  scannedPrefix = 0,
): Promise<ZipScan> {
  const archive = await readZipDirectory(source, {
    ...DEFAULT_ZIP_LIMITS,
    maxEntries: ctx.limits.maxMembers,
  });
  for (const anomaly of archive.anomalies) {
    const [rule, reference] = ANOMALY_RULES[anomaly.code];
    const where = at(
      anomaly.entry === undefined ? member : joinMember(member, anomaly.entry),
      anomaly.offset,
    );
    ctx.collector.add(
      finding(rule, `Zip ${anomaly.code}: ${anomaly.detail}`, where, { reference }),
    );
  }

  // Bytes outside every member (a prefix, a gap, a tail) are what a pickle loader runs when the
  // file is a pickle+zip polyglot (technique 24): scan them when they run as a pickle.
  for (const gap of archive.gaps) {
    if (gap.length > ctx.limits.maxReadBytes || gap.offset < scannedPrefix) continue;
    const bytes = await source.read(gap.offset, gap.length);
    if (!runsAsPickle(bytes)) continue;
    const name = joinMember(member, `@${gap.offset}`);
    ctx.collector.add(
      finding(
        "format/polyglot",
        `Holds a pickle outside the zip members at offset ${gap.offset}: pickle loaders run it`,
        at(member, gap.offset),
        { reference: "technique 24 (pickle and zip polyglot)" },
      ),
    );
    await scanMember(bytes, name);
  }

  const root = archiveRootFolder(archive.entries);
  const prefix = root === null ? "" : `${root}/`;
  const isTorch = archive.entries.some((e) => e.name === `${prefix}data.pkl`);
  const isTorchScript =
    isTorch &&
    archive.entries.some(
      (e) => e.name.startsWith(`${prefix}code/`) || e.name === `${prefix}constants.pkl`,
    );
  const storagePrefix = `${prefix}data/`;
  const pids: PickleValue[] = [];
  const extents = new Map<string, number>();

  // Pass 1: every member outside data/, each sniffed by content.
  const deferred: ZipEntry[] = [];
  for (const entry of archive.entries) {
    if (isTorch && entry.name.startsWith(storagePrefix)) {
      deferred.push(entry);
      continue;
    }
    if (entry.name.endsWith("/") && entry.uncompressedSize === 0) continue;
    const name = joinMember(member, entry.name);
    const bytes = await readMember(source, entry, name, ctx);
    if (bytes === undefined) continue;
    const result = await scanMember(bytes, name);
    pids.push(...result.persistentIds);
    for (const call of result.calls) {
      const fn = globalName(call.callee);
      const args = asSequence(call.args);
      if (fn === null || !TENSOR_REBUILDERS.has(fn) || args === undefined) continue;
      const storage = args[0];
      const key = storage?.kind === "persid" ? asSequence(storage.pid)?.[2] : undefined;
      const extent = tensorExtent(args);
      if (key?.kind === "str" && extent !== undefined) {
        extents.set(key.value, Math.max(extents.get(key.value) ?? 0, extent));
      }
    }
  }

  // Pass 2: storages the pickles reference are data; anything else under data/ is sniffed.
  const refs = storageRefs(pids);
  for (const entry of deferred) {
    const key = entry.name.slice(storagePrefix.length);
    if (refs.has(key)) continue;
    const name = joinMember(member, entry.name);
    const bytes = await readMember(source, entry, name, ctx);
    if (bytes !== undefined) await scanMember(bytes, name);
  }
  if (isTorch) checkStorages(archive, prefix, refs, extents, member, ctx);

  if (isTorchScript) {
    ctx.collector.add(
      finding(
        "torch/torchscript-code",
        "Is a TorchScript archive: its code/ runs when the model is used (torch.jit.load)",
        at(member),
        { reference: "CVE-2025-32434" },
      ),
    );
  }
  // A Keras 3 `.keras` archive: its config.json names the layers Keras will build at load.
  const rootNames = archive.entries.map((e) => e.name);
  if (isKerasZip(rootNames)) {
    const config = archive.entries.find((e) => e.name === "config.json");
    const bytes =
      config && (await readMember(source, config, joinMember(member, config.name), ctx));
    if (bytes !== undefined) kerasZipFindings(Buffer.from(bytes).toString("utf8"), member, ctx);
    return { format: "keras" };
  }
  const npz =
    !isTorch && archive.entries.length > 0 && archive.entries.every((e) => e.name.endsWith(".npy"));
  return {
    format: isTorchScript ? "torchscript" : isTorch ? "pytorch-zip" : npz ? "numpy-npz" : "zip",
  };
}
