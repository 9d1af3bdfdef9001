/**
 * Tar archives, notably PyTorch's oldest checkpoint format (`_legacy_load`'s tar branch with
 * members `sys_info`, `pickle`, `storages` and `tensors`). Every regular member is scanned by
 * content; `storages` and `tensors` interleave pickles with raw data, so they are walked.
 */
import type { ByteSource } from "../formats/byte-source.js";
import { FormatError } from "../formats/format-error.js";
import { readTarEntries, sniffTar } from "../formats/tar/index.js";
import { at, joinMember, type ScanContext } from "./context.js";
import { walkLegacyTarMember } from "./legacy-tar-members.js";
import { finding } from "./rules.js";

export function isTar(head: Uint8Array): boolean {
  return sniffTar(head);
}

const LEGACY_MEMBERS = new Set(["sys_info", "pickle", "storages", "tensors"]);

export async function scanTar(
  source: ByteSource,
  member: string | undefined,
  ctx: ScanContext,
): Promise<string> {
  let listing: Awaited<ReturnType<typeof readTarEntries>>;
  try {
    listing = await readTarEntries(source, { maxEntries: ctx.limits.maxMembers });
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    ctx.collector.add(
      finding("zip/unreadable", `Cannot read tar archive: ${error.message}`, at(member)),
    );
    return "tar";
  }
  for (const anomaly of listing.anomalies) {
    ctx.collector.add(
      finding(
        "zip/data-outside-members",
        `Tar ${anomaly.code}: ${anomaly.detail}`,
        at(member, anomaly.offset),
      ),
    );
  }
  const files = listing.entries.filter((entry) => entry.type === "file");
  const legacy = files.length > 0 && files.every((entry) => LEGACY_MEMBERS.has(entry.name));
  for (const entry of files) {
    const name = joinMember(member, entry.name);
    if (entry.size > ctx.limits.maxReadBytes) {
      ctx.collector.add(
        finding(
          "scan/limit-exceeded",
          `Cannot read tar member '${entry.name}': too large`,
          at(name),
        ),
      );
      continue;
    }
    const bytes = await source.read(entry.dataOffset, entry.size);
    if (legacy && (entry.name === "storages" || entry.name === "tensors")) {
      await walkLegacyTarMember(entry.name, bytes, name, ctx);
    } else {
      await ctx.scanNested(bytes, name, ctx.depth + 1);
    }
  }
  return legacy ? "pytorch-legacy-tar" : "tar";
}
