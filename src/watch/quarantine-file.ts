/**
 * Moves a file the scanner judged unsafe into `<home>/quarantine/<id>/` and indexes it: the
 * folder 0700, the file 0400, its SHA-256 taken after the move (what is kept is what is hashed).
 */
import { randomBytes } from "node:crypto";
import { chmod, lstat, mkdir, rm } from "node:fs/promises";
import { userInfo } from "node:os";
import { basename, join } from "node:path";
import { hashFiles } from "../crypto/hashing/index.js";
import type { FileResult } from "../scan/index.js";
import type { FileIdentity } from "./file-identity.js";
import { moveFile } from "./move-file.js";
import {
  ensureQuarantineDir,
  type QuarantineEntry,
  updateQuarantineIndex,
} from "./quarantine-index.js";

/** Findings copied into the index; the full list is in the scan event and the scan report. */
const MAX_INDEXED_FINDINGS = 5;
const MAX_MESSAGE = 500;

export async function sha256File(path: string): Promise<string> {
  const [result] = await hashFiles([{ path }], { algorithm: "sha256" });
  if (result === undefined) throw new Error(`Cannot hash '${path}': no digest returned`);
  return Buffer.from(result.digest).toString("hex");
}

function quarantineId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  return `${stamp}Z-${randomBytes(4).toString("hex")}`;
}

export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid:${process.getuid?.() ?? "unknown"}`;
  }
}

export async function quarantineFile(
  home: string,
  path: string,
  result: FileResult,
  scanned: FileIdentity,
): Promise<QuarantineEntry> {
  const root = await ensureQuarantineDir(home);
  const now = new Date();
  const id = quarantineId(now);
  const folder = join(root, id);
  const storedPath = join(folder, basename(path));
  return updateQuarantineIndex(home, async (entries) => {
    const mode = (await lstat(path)).mode & 0o7777;
    await mkdir(folder, { mode: 0o700 });
    try {
      await moveFile(path, storedPath, scanned);
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    // Best effort: a file another user owns keeps its mode (only its owner may chmod it); the
    // 0700 quarantine folder is what keeps it out of reach.
    await chmod(storedPath, 0o400).catch(() => undefined);
    const entry: QuarantineEntry = {
      id,
      originalPath: path,
      storedPath,
      sha256: await sha256File(storedPath),
      size: Number(scanned.size),
      mode,
      verdict: result.verdict,
      format: result.format,
      findingCount: result.findings.length,
      findings: result.findings.slice(0, MAX_INDEXED_FINDINGS).map((f) => ({
        rule: f.rule,
        severity: f.severity,
        message: f.message.slice(0, MAX_MESSAGE),
      })),
      quarantinedAt: now.toISOString(),
      by: currentUser(),
    };
    entries.push(entry);
    return entry;
  });
}
