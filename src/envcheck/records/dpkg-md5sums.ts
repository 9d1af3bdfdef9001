/**
 * Debian's per-package checksums, `/var/lib/dpkg/info/<pkg>[:<arch>].md5sums`: one line per
 * regular file, `<md5 hex>  <path relative to />` (dpkg `src/main/unpack.c` writes "%s  %s\n";
 * dh_md5sums uses md5sum(1), whose binary marker is " *"). Conffiles and symlinks are not listed.
 */
import { EnvCheckError } from "../env-error.js";
import { LIMITS } from "../limits.js";
import { checkRecordPath } from "./env-path.js";

export interface Md5sumsEntry {
  /** Absolute path ("/usr/lib/..."). */
  readonly path: string;
  readonly md5: string;
}

const LINE = /^([0-9a-fA-F]{32}) [ *](.+)$/;

export function parseMd5sums(text: string, name: string): Md5sumsEntry[] {
  const entries: Md5sumsEntry[] = [];
  const lines = text.split("\n");
  if (lines.length > LIMITS.maxEntriesPerRecord + 1) {
    throw new EnvCheckError("BAD_RECORD", `Cannot read the record "${name}": too many lines`);
  }
  for (const line of lines) {
    if (line === "") continue;
    const match = LINE.exec(line);
    if (match === null) {
      throw new EnvCheckError(
        "BAD_RECORD",
        `Cannot read the record "${name}": the line "${line.slice(0, 80)}" is not "<md5>  <path>"`,
      );
    }
    const [, md5 = "", rawPath = ""] = match;
    checkRecordPath(rawPath, name);
    const path = rawPath.startsWith("/") ? rawPath : `/${rawPath}`;
    entries.push({ path, md5: md5.toLowerCase() });
  }
  return entries;
}

/** `<pkg>.list`: every path the package installed, absolute, one per line (dirs included). */
export function parseDpkgList(text: string, name: string): string[] {
  const lines = text.split("\n");
  if (lines.length > LIMITS.maxEntriesPerRecord + 1) {
    throw new EnvCheckError("BAD_RECORD", `Cannot read the record "${name}": too many lines`);
  }
  const paths: string[] = [];
  for (const line of lines) {
    if (line === "" || line === "/.") continue;
    checkRecordPath(line, name);
    if (!line.startsWith("/")) {
      throw new EnvCheckError(
        "BAD_RECORD",
        `Cannot read the record "${name}": the path "${line.slice(0, 80)}" is not absolute`,
      );
    }
    paths.push(line);
  }
  return paths;
}

/** `python3-torch.md5sums` → `python3-torch`; `libpython3.11:amd64.md5sums` → `libpython3.11`. */
export function dpkgPackageName(fileName: string): string {
  const stem = fileName.replace(/\.(md5sums|list)$/, "");
  const colon = stem.indexOf(":");
  return colon === -1 ? stem : stem.slice(0, colon);
}
