/**
 * conda's per-package install record, `conda-meta/<name>-<version>-<build>.json`. Its
 * `paths_data.paths` lists every linked file relative to the prefix with `path_type`, `sha256`
 * (of the file in the package) and `size_in_bytes`. A file with `prefix_placeholder` had the build
 * prefix replaced by the install prefix (`file_mode` text or binary), so its `sha256` is of the
 * packaged bytes; conda ≥ 4.6 and mamba/rattler also write `sha256_in_prefix`, the hash after the
 * rewrite (conda `core/path_actions.py`, `PrefixReplaceLinkAction`). Records without `paths_data`
 * (conda < 4.3) list only `files`.
 */
import { EnvCheckError } from "../env-error.js";
import { LIMITS } from "../limits.js";
import { checkRecordPath, toRootRelative } from "./env-path.js";
import type {
  Distribution,
  PrefixPlaceholder,
  RecordedFile,
  RecordedType,
} from "./recorded-file.js";

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** conda `models/enums.py` PathType; entry points are written by conda, not copied. */
const PATH_TYPES: Readonly<Record<string, RecordedType>> = {
  hardlink: "file",
  softlink: "symlink",
  directory: "directory",
  pyc_file: "bytecode",
  unix_python_entry_point: "generated",
  windows_python_entry_point_script: "generated",
  windows_python_entry_point_exe: "generated",
  linked_package_record: "generated",
};

function bad(record: string, state: string): EnvCheckError {
  return new EnvCheckError("BAD_RECORD", `Cannot read the record "${record}": ${state}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(
  entry: Record<string, unknown>,
  key: string,
  record: string,
): string | undefined {
  const value = entry[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw bad(record, `"${key}" is not a string`);
  return value;
}

function optionalSha256(
  entry: Record<string, unknown>,
  key: string,
  record: string,
): string | undefined {
  const value = optionalString(entry, key, record);
  if (value === undefined) return undefined;
  const hex = value.toLowerCase();
  if (!SHA256_HEX.test(hex)) throw bad(record, `"${key}" is not 64 hex digits`);
  return hex;
}

function optionalSize(entry: Record<string, unknown>, record: string): number | undefined {
  const value = entry.size_in_bytes;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw bad(record, `"size_in_bytes" is not a byte count`);
  }
  return value;
}

function placeholderOf(
  entry: Record<string, unknown>,
  record: string,
): PrefixPlaceholder | undefined {
  const placeholder = optionalString(entry, "prefix_placeholder", record);
  if (placeholder === undefined) return undefined;
  if (placeholder.length === 0 || placeholder.length > LIMITS.maxPathLength) {
    throw bad(record, `"prefix_placeholder" is empty or too long`);
  }
  const mode = optionalString(entry, "file_mode", record) ?? "text";
  if (mode !== "text" && mode !== "binary")
    throw bad(record, `"file_mode" is "${mode.slice(0, 20)}"`);
  return { placeholder, mode, packagedSha256: optionalSha256(entry, "sha256", record) };
}

function recordedFile(raw: unknown, record: string, root: string): RecordedFile | undefined {
  if (!isObject(raw)) throw bad(record, "a paths_data entry is not an object");
  const rawPath = raw._path;
  if (typeof rawPath !== "string") throw bad(record, 'a paths_data entry has no "_path"');
  checkRecordPath(rawPath, record);
  const path = toRootRelative("", rawPath, root);
  if (path === undefined || path === "") return undefined;
  const typeName = optionalString(raw, "path_type", record) ?? "hardlink";
  const type = PATH_TYPES[typeName];
  if (type === undefined) throw bad(record, `unknown path_type "${typeName.slice(0, 40)}"`);
  const placeholder = placeholderOf(raw, record);
  const inPrefix = optionalSha256(raw, "sha256_in_prefix", record);
  const packaged = optionalSha256(raw, "sha256", record);
  const size = optionalSize(raw, record);
  // After a prefix rewrite only sha256_in_prefix describes the bytes on disk; without a rewrite
  // both hashes are of the same bytes.
  const hex = placeholder === undefined ? (inPrefix ?? packaged) : inPrefix;
  const base: RecordedFile = {
    path,
    type,
    ...(hex === undefined ? {} : { digest: { algorithm: "sha256" as const, hex } }),
    ...(placeholder === undefined ? {} : { placeholder }),
  };
  return size === undefined || placeholder !== undefined ? base : { ...base, size };
}

/** Parses one conda-meta JSON record (`recordPath` relative to the prefix). */
export function parseCondaMeta(
  text: string,
  recordPath: string,
  absoluteRoot: string,
): Distribution {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad(recordPath, "not valid JSON");
  }
  if (!isObject(parsed)) throw bad(recordPath, "not a JSON object");
  const name = optionalString(parsed, "name", recordPath);
  if (name === undefined || name.length === 0 || name.length > 256)
    throw bad(recordPath, 'no "name"');
  const version = optionalString(parsed, "version", recordPath);
  const pathsData = parsed.paths_data;
  const files: RecordedFile[] = [];
  let outsideRoot = 0;
  const add = (file: RecordedFile | undefined) => {
    if (file === undefined) outsideRoot += 1;
    else files.push(file);
  };
  if (pathsData !== undefined && pathsData !== null) {
    if (!isObject(pathsData) || !Array.isArray(pathsData.paths)) {
      throw bad(recordPath, '"paths_data.paths" is not a list');
    }
    if (pathsData.paths.length > LIMITS.maxEntriesPerRecord)
      throw bad(recordPath, "too many paths");
    for (const raw of pathsData.paths) add(recordedFile(raw, recordPath, absoluteRoot));
    return { name, version, kind: "conda-meta", recordPath, files, outsideRoot };
  }
  const list = parsed.files ?? [];
  if (!Array.isArray(list)) throw bad(recordPath, '"files" is not a list');
  if (list.length > LIMITS.maxEntriesPerRecord) throw bad(recordPath, "too many files");
  for (const raw of list) add(recordedFile({ _path: raw }, recordPath, absoluteRoot));
  return {
    name,
    version,
    kind: "conda-meta",
    recordPath,
    files,
    outsideRoot,
    ...(files.length > 0 ? { unhashed: true as const } : {}),
  };
}
