/**
 * Compares the files on disk with what their records say: content (sha256 or md5), size, and
 * type. A path several records claim (a file one package overwrote in another) passes when any
 * claim matches; otherwise the first claim's failure is reported.
 */

import { createHash } from "node:crypto";
import type { Stats } from "node:fs";
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import {
  type DigestOutcome,
  type DigestTask,
  digestFiles,
  type FileProgress,
} from "./digest-files.js";
import { restorePlaceholder } from "./records/conda-prefix.js";
import { readBounded } from "./records/read-bounded.js";
import type { Distribution, RecordedFile } from "./records/recorded-file.js";
import { severityFor } from "./severity.js";
import type { EnvFinding, FindingKind } from "./types.js";

/** Largest prefix-rewritten conda file read whole to undo the rewrite. */
const MAX_PLACEHOLDER_FILE_BYTES = 256 * 1024 * 1024;

export interface Claim {
  readonly dist: Distribution;
  readonly file: RecordedFile;
}

export interface VerifyRecordedOptions {
  readonly root: string;
  /** Spellings of the install prefix that conda may have written into files. */
  readonly prefixes: readonly string[];
  readonly workers?: number;
  readonly onProgress?: FileProgress;
}

export interface VerifyRecordedResult {
  readonly findings: EnvFinding[];
  /** Paths whose recorded content matched (used to call a hook expected). */
  readonly verified: ReadonlySet<string>;
  readonly filesHashed: number;
}

type Verdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly kind: FindingKind; readonly detail: string };

const OK: Verdict = { ok: true };
const fail = (kind: FindingKind, detail: string): Verdict => ({ ok: false, kind, detail });

/** Groups every recorded path with the records that claim it. */
export function claimsByPath(distributions: readonly Distribution[]): Map<string, Claim[]> {
  const claims = new Map<string, Claim[]>();
  for (const dist of distributions) {
    for (const file of dist.files) {
      const list = claims.get(file.path);
      if (list === undefined) claims.set(file.path, [{ dist, file }]);
      else list.push({ dist, file });
    }
  }
  return claims;
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function typeName(stat: Stats): string {
  if (stat.isSymbolicLink()) return "a symbolic link";
  if (stat.isDirectory()) return "a directory";
  if (stat.isFile()) return "a regular file";
  return "a special file";
}

/** What can be decided from lstat alone; undefined when the content must be hashed. */
function judgeByStat(file: RecordedFile, stat: Stats): Verdict | undefined {
  switch (file.type) {
    case "directory":
      return stat.isDirectory()
        ? OK
        : fail("modified", `recorded as a directory, found ${typeName(stat)}`);
    case "symlink":
      return stat.isSymbolicLink()
        ? OK
        : fail("modified", `recorded as a symbolic link, found ${typeName(stat)}`);
    case "bytecode":
      return OK;
    case "listed":
      if (stat.isDirectory() || stat.isSymbolicLink()) return OK;
      return fail("unverified", "the package lists this file without a checksum");
    case "generated":
      return stat.isFile() || stat.isSymbolicLink()
        ? OK
        : fail("modified", `found ${typeName(stat)}`);
    case "file":
      break;
  }
  if (!stat.isFile())
    return fail("modified", `recorded as a regular file, found ${typeName(stat)}`);
  if (file.selfEntry === true) return OK;
  if (file.size !== undefined && file.size !== stat.size) {
    return fail("modified", `size ${stat.size} bytes, recorded ${file.size}`);
  }
  if (file.digest === undefined && file.placeholder === undefined) {
    return fail("unverified", "the record lists this file without a hash");
  }
  return undefined;
}

function judgeDigest(file: RecordedFile, outcome: DigestOutcome | undefined): Verdict {
  if (file.digest === undefined || outcome === undefined) return fail("unverified", "not hashed");
  if ("error" in outcome) return fail("unverified", `cannot read the file: ${outcome.error}`);
  return outcome.hex === file.digest.hex
    ? OK
    : fail("modified", `${file.digest.algorithm} ${outcome.hex}, recorded ${file.digest.hex}`);
}

async function judgePlaceholder(
  root: string,
  file: RecordedFile,
  prefixes: readonly string[],
): Promise<Verdict> {
  const placeholder = file.placeholder;
  const unverified = fail(
    "unverified",
    "conda rewrote the install prefix into this file and records no hash of the result; it could not be rebuilt to the packaged bytes",
  );
  if (placeholder?.packagedSha256 === undefined) return unverified;
  let bytes: Buffer;
  try {
    const read = await readBounded(
      join(root, file.path),
      MAX_PLACEHOLDER_FILE_BYTES,
      "the file",
      "IO",
    );
    bytes = read.bytes;
  } catch {
    return unverified;
  }
  for (const prefix of prefixes) {
    const restored = restorePlaceholder(bytes, prefix, placeholder);
    if (restored === undefined) continue;
    if (createHash("sha256").update(restored).digest("hex") === placeholder.packagedSha256)
      return OK;
  }
  return fail(
    "modified",
    "differs from the packaged file even after undoing conda's prefix rewrite",
  );
}

export async function verifyRecorded(
  claims: ReadonlyMap<string, readonly Claim[]>,
  options: VerifyRecordedOptions,
): Promise<VerifyRecordedResult> {
  const { root } = options;
  const pending: { path: string; claims: readonly Claim[]; stat: Stats | undefined }[] = [];
  const tasks: DigestTask[] = [];
  const queued = new Set<string>();
  for (const [path, list] of claims) {
    const stat = await lstatOrUndefined(join(root, path));
    pending.push({ path, claims: list, stat });
    if (stat === undefined || !stat.isFile()) continue;
    for (const { file } of list) {
      if (file.digest === undefined || judgeByStat(file, stat) !== undefined) continue;
      const key = `${file.digest.algorithm}:${path}`;
      if (queued.has(key)) continue;
      queued.add(key);
      tasks.push({ path, algorithm: file.digest.algorithm, size: stat.size });
    }
  }
  const digests = await digestFiles(root, tasks, options.workers, options.onProgress);
  const findings: EnvFinding[] = [];
  const verified = new Set<string>();
  for (const { path, claims: list, stat } of pending) {
    let first: { verdict: Verdict; claim: Claim } | undefined;
    let passed = false;
    for (const claim of list) {
      let verdict: Verdict;
      if (stat === undefined) {
        verdict =
          claim.file.type === "bytecode"
            ? OK
            : fail("missing", "listed in the record, not on disk");
      } else {
        verdict =
          judgeByStat(claim.file, stat) ??
          (claim.file.digest !== undefined
            ? judgeDigest(claim.file, digests.get(`${claim.file.digest.algorithm}:${path}`))
            : await judgePlaceholder(root, claim.file, options.prefixes));
      }
      if (verdict.ok) {
        passed = true;
        break;
      }
      first ??= { verdict, claim };
    }
    if (passed) {
      if (stat !== undefined) verified.add(path);
      continue;
    }
    if (first === undefined || first.verdict.ok) continue;
    findings.push({
      kind: first.verdict.kind,
      path,
      package: first.claim.dist.name,
      severity: severityFor(first.verdict.kind, path),
      detail: first.verdict.detail,
      source: "record",
    });
  }
  return { findings, verified, filesHashed: tasks.length };
}
