/**
 * pip and uv install records: `<name>-<version>.dist-info/RECORD`, one CSV row per installed
 * file: path (relative to site-packages, may climb out to `../../bin/x`), `sha256=<b64>`, size
 * (PyPA "Recording installed projects"). RECORD itself, its signatures and bytecode are listed
 * without a hash by design.
 */
import { posix } from "node:path";
import { EnvCheckError } from "../env-error.js";
import { LIMITS } from "../limits.js";
import { checkRecordPath, toRootRelative } from "./env-path.js";
import { parseCsv } from "./record-csv.js";
import { parseRecordHash, parseRecordSize } from "./record-hash.js";
import type { Distribution, RecordedFile } from "./recorded-file.js";

/** Files a RECORD lists without a hash on purpose (the record and its signatures). */
const SELF_ENTRIES = new Set(["RECORD", "RECORD.jws", "RECORD.p7s"]);

const RECORD_COLUMNS = 3;

export interface DistInfoName {
  readonly name: string;
  readonly version: string | undefined;
}

/** `foo_bar-1.0.dist-info` → `{name: "foo_bar", version: "1.0"}` (the name has no "-"). */
export function parseDistInfoName(directory: string): DistInfoName {
  const stem = directory.replace(/\.dist-info$/, "");
  const dash = stem.indexOf("-");
  return dash <= 0
    ? { name: stem, version: undefined }
    : { name: stem.slice(0, dash), version: stem.slice(dash + 1) };
}

export interface PipRecordInput {
  /** Site directory relative to the root ("" when the root is site-packages). */
  readonly siteDir: string;
  /** The dist-info directory name inside siteDir. */
  readonly distInfo: string;
  readonly absoluteRoot: string;
  readonly text: string;
}

/** Parses one RECORD into a distribution with root-relative paths. */
export function parsePipRecord(input: PipRecordInput): Distribution {
  const distInfoPath = posix.join(input.siteDir, input.distInfo);
  const recordPath = posix.join(distInfoPath, "RECORD");
  const rows = parseCsv(input.text, recordPath);
  const { name, version } = parseDistInfoName(input.distInfo);
  const files: RecordedFile[] = [];
  const seen = new Set<string>();
  let outsideRoot = 0;
  for (const row of rows) {
    if (row.length !== RECORD_COLUMNS) {
      throw new EnvCheckError(
        "BAD_RECORD",
        `Cannot read the record "${recordPath}": a row has ${row.length} columns, not ${RECORD_COLUMNS}`,
      );
    }
    const [rawPath = "", hashField = "", sizeField = ""] = row;
    checkRecordPath(rawPath, recordPath);
    const path = toRootRelative(input.siteDir, rawPath, input.absoluteRoot);
    if (path === undefined) {
      outsideRoot += 1;
      continue;
    }
    if (path === "" || seen.has(path)) continue;
    seen.add(path);
    const size = parseRecordSize(sizeField, recordPath);
    const withSize = size === undefined ? {} : { size };
    const parent = posix.dirname(path);
    const base = posix.basename(path);
    if (hashField === "") {
      if (parent === distInfoPath && SELF_ENTRIES.has(base)) {
        files.push({ path, type: "file", selfEntry: true });
      } else if (base.endsWith(".pyc") || base.endsWith(".pyo")) {
        files.push({ path, type: "bytecode" });
      } else {
        files.push({ path, type: "file", ...withSize });
      }
      continue;
    }
    const hash = parseRecordHash(hashField, recordPath);
    if (hash.kind === "unsupported") {
      files.push({ path, type: "file", ...withSize });
      continue;
    }
    files.push({ path, type: "file", digest: { algorithm: "sha256", hex: hash.hex }, ...withSize });
  }
  if (files.length > LIMITS.maxEntriesPerRecord) {
    throw new EnvCheckError("LIMIT", `Cannot read the record "${recordPath}": too many entries`);
  }
  return { name, version, kind: "pip-record", recordPath, files, outsideRoot };
}
