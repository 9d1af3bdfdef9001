/**
 * What "the same file, unchanged" means to the watcher: device, inode, size and modification
 * time in nanoseconds. A writer that appends changes size and mtime; one that replaces the file
 * (write to a temporary name, rename over) changes the inode. Values are decimal strings so the
 * state file keeps the full 64-bit precision of `stat({ bigint: true })`.
 */
import { lstat } from "node:fs/promises";

export interface FileIdentity {
  readonly dev: string;
  readonly ino: string;
  readonly size: string;
  readonly mtimeNs: string;
}

/** The identity of a regular file (never following a final symbolic link), or null. */
export async function identify(path: string): Promise<FileIdentity | null> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(path, { bigint: true });
  } catch {
    return null;
  }
  if (!info.isFile()) return null;
  return {
    dev: info.dev.toString(),
    ino: info.ino.toString(),
    size: info.size.toString(),
    mtimeNs: info.mtimeNs.toString(),
  };
}

export function sameIdentity(a: FileIdentity | null | undefined, b: FileIdentity | null): boolean {
  return (
    a !== null &&
    a !== undefined &&
    b !== null &&
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs
  );
}

/** Same content as far as stat can tell, wherever it lives (a copy has another inode). */
export function sameSizeAndTime(a: FileIdentity, b: FileIdentity | null): boolean {
  return b !== null && a.size === b.size && a.mtimeNs === b.mtimeNs;
}
