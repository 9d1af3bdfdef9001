/**
 * When a file's identity (dev, inode, size, mtime_ns, ctime_ns) proves its content, so that a
 * client can skip hashing the bytes it loads (docs/guard.md, "Warm path").
 *
 * The kernel sets ctime on every change to a file's data (write, truncate, fallocate, clone,
 * O_DIRECT) before the new data is visible, and nobody but root (by setting the clock) can set it
 * back. Three gaps remain, and each is closed here or the proof is refused:
 *
 * 1. Timestamp granularity: ctime comes from a coarse clock (one tick, or one second on ext3-era
 *    inodes), so a second change in the same tick leaves ctime as it was. The proof is given only
 *    when ctime is older than the read by `CTIME_MARGIN_NS`: every change after the read then
 *    gets a later ctime.
 * 2. Writes through a shared writable mmap update ctime only when a clean page is first written;
 *    more writes to a page already dirty change data silently. `fdatasync` before the read writes
 *    every dirty page back and write-protects it in every mapping, so any later write faults and
 *    updates ctime.
 * 3. Filesystems where stat does not follow the data: tmpfs (mmap writes never touch ctime),
 *    network and FUSE filesystems (another host, or the filesystem itself, decides what stat
 *    says), overlayfs (copy-up). Only local filesystems whose mmap writes go through page_mkwrite
 *    and writeback are trusted: ext2/3/4, XFS and Btrfs, recognised by statfs's magic number
 *    (linux/magic.h), read through /proc/self/fd so it is the descriptor's filesystem.
 */
import type { BigIntStats } from "node:fs";
import { type FileHandle, statfs } from "node:fs/promises";

/** Two seconds: above one-second ctime granularity and any coarse-clock lag. */
export const CTIME_MARGIN_NS = 2_000_000_000n;

/** linux/magic.h: EXT2/3/4_SUPER_MAGIC, XFS_SUPER_MAGIC, BTRFS_SUPER_MAGIC. */
const TRUSTED_FILESYSTEMS = new Set([0xef53, 0x58465342, 0x9123683e]);

const nowNs = () => BigInt(Date.now()) * 1_000_000n;

async function trustedFilesystem(handle: FileHandle): Promise<boolean> {
  if (process.platform !== "linux") return false;
  try {
    const info = await statfs(`/proc/self/fd/${handle.fd}`);
    return TRUSTED_FILESYSTEMS.has(Number(info.type));
  } catch {
    return false;
  }
}

/** Why an identity proves the content or not; "too-recent" can become a proof later. */
export type IdentityProof = "proof" | "untrusted" | "too-recent";

/** Whether a ctime is old enough, now, for a read starting now to be provable. */
export function ctimeSettled(stats: BigIntStats): boolean {
  return stats.ctimeNs < nowNs() - CTIME_MARGIN_NS;
}

/**
 * Call right before reading the file: whether the identity `before` (the descriptor's fstat) will
 * prove the content of the read that follows, provided the identity is unchanged after the read.
 * Writes dirty pages back first (gap 2): one fdatasync (about 1 to 5 ms on ext4 here) when it
 * says yes. The margin is measured before the writeback, which only makes it longer.
 */
export async function prepareIdentityProof(
  handle: FileHandle,
  before: BigIntStats,
): Promise<IdentityProof> {
  if (!(await trustedFilesystem(handle))) return "untrusted";
  // A file changed within the margin gets no proof this time: spare it the writeback.
  if (!ctimeSettled(before)) return "too-recent";
  try {
    await handle.datasync();
  } catch {
    return "untrusted";
  }
  return "proof";
}
