/**
 * Gathers every install record of an environment: pip/uv RECORDs in each site directory, conda
 * `conda-meta/*.json` in a conda prefix, and dpkg records for a Debian `dist-packages` (or when a
 * dpkg info directory is given). In a conda prefix a dist-info that conda itself installed is
 * covered by conda's record, so its RECORD is not read twice.
 */
import { lstat, readdir } from "node:fs/promises";
import { join, posix } from "node:path";
import { EnvCheckError } from "../env-error.js";
import type { EnvLayout } from "../layout.js";
import { LIMITS } from "../limits.js";
import { parseCondaMeta } from "./conda-meta.js";
import { DEFAULT_DPKG_INFO, loadDpkgRecords } from "./dpkg-records.js";
import { parseDistInfoName, parsePipRecord } from "./pip-record.js";
import { decodeUtf8, readBounded } from "./read-bounded.js";
import type { Distribution } from "./recorded-file.js";

export interface LoadRecordsOptions {
  /** dpkg info directory; setting it also turns dpkg records on for any layout. */
  readonly dpkgInfoDir?: string;
}

/** A dist-info without RECORD, or an egg-info: installed files nobody can check. */
export interface UnrecordedInstall {
  /** The dist-info or egg-info directory, relative to the root. */
  readonly path: string;
  readonly name: string;
  readonly reason: "no-record" | "egg-info";
}

export interface LoadedRecords {
  readonly distributions: readonly Distribution[];
  readonly unrecorded: readonly UnrecordedInstall[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function loadConda(root: string): Promise<Distribution[]> {
  const dir = join(root, "conda-meta");
  const names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
  if (names.length > LIMITS.maxDistributions) {
    throw new EnvCheckError(
      "LIMIT",
      `Cannot read conda-meta: more than ${LIMITS.maxDistributions} records`,
    );
  }
  const out: Distribution[] = [];
  for (const name of names) {
    const recordPath = `conda-meta/${name}`;
    const { bytes } = await readBounded(
      join(dir, name),
      LIMITS.maxCondaMetaBytes,
      "the conda record",
    );
    out.push(parseCondaMeta(decodeUtf8(bytes, "the conda record", recordPath), recordPath, root));
  }
  return out;
}

export async function loadRecords(
  layout: EnvLayout,
  options: LoadRecordsOptions = {},
): Promise<LoadedRecords> {
  const distributions: Distribution[] = [];
  if (layout.kind === "conda") distributions.push(...(await loadConda(layout.root)));
  const useDpkg = layout.kind === "dist-packages" || options.dpkgInfoDir !== undefined;
  if (useDpkg) {
    const roots = [...new Set([layout.root, layout.realRoot])];
    distributions.push(...(await loadDpkgRecords(options.dpkgInfoDir ?? DEFAULT_DPKG_INFO, roots)));
  }
  // Paths some other record already owns: a dist-info conda or dpkg installed is checked there.
  const owned = new Set<string>();
  for (const dist of distributions) for (const file of dist.files) owned.add(file.path);
  const unrecorded: UnrecordedInstall[] = [];
  for (const siteDir of layout.siteDirs) {
    const names = (await readdir(join(layout.root, siteDir))).sort();
    for (const entry of names) {
      const isDistInfo = entry.endsWith(".dist-info");
      if (!isDistInfo && !entry.endsWith(".egg-info")) continue;
      const dirPath = posix.join(siteDir, entry);
      const recordPath = posix.join(dirPath, "RECORD");
      if (
        owned.has(recordPath) ||
        owned.has(dirPath) ||
        owned.has(posix.join(dirPath, "PKG-INFO"))
      ) {
        continue;
      }
      if (!isDistInfo) {
        unrecorded.push({ path: dirPath, name: entry.replace(/-.*$/, ""), reason: "egg-info" });
        continue;
      }
      if (!(await exists(join(layout.root, recordPath)))) {
        unrecorded.push({
          path: dirPath,
          name: parseDistInfoName(entry).name,
          reason: "no-record",
        });
        continue;
      }
      const { bytes } = await readBounded(
        join(layout.root, recordPath),
        LIMITS.maxRecordBytes,
        "the record",
      );
      distributions.push(
        parsePipRecord({
          siteDir,
          distInfo: entry,
          absoluteRoot: layout.root,
          text: decodeUtf8(bytes, "the record", recordPath),
        }),
      );
      if (distributions.length > LIMITS.maxDistributions) {
        throw new EnvCheckError(
          "LIMIT",
          `Cannot read the records: more than ${LIMITS.maxDistributions} distributions`,
        );
      }
    }
  }
  return { distributions, unrecorded };
}
