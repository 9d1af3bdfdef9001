/**
 * Moves a file without ever overwriting the destination. Within one file system: link(2) then
 * unlink(2), because link fails with EEXIST where rename(2) would silently replace. Across file
 * systems (EXDEV): copy with COPYFILE_EXCL, fsync, then unlink the source, but only if the
 * source did not change while it was copied.
 */
import { constants } from "node:fs";
import { copyFile, link, open, rm, unlink, utimes } from "node:fs/promises";
import { type FileIdentity, identify, sameIdentity } from "./file-identity.js";
import { WatchError } from "./watch-error.js";

async function fsync(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Moves `from` to `to`; `expected` (when given) is the identity `from` must still have. */
export async function moveFile(
  from: string,
  to: string,
  expected: FileIdentity | null = null,
): Promise<void> {
  const before = await identify(from);
  if (before === null)
    throw new WatchError("NOT_FOUND", `Cannot move '${from}': not a regular file`);
  if (expected !== null && !sameIdentity(expected, before))
    throw new WatchError("IO", `Cannot move '${from}': it changed since it was scanned`);
  try {
    await link(from, to);
    await unlink(from);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST")
      throw new WatchError("TARGET_EXISTS", `Cannot move '${from}' to '${to}': it exists`);
    if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP") throw error;
  }
  try {
    await copyFile(from, to, constants.COPYFILE_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      throw new WatchError("TARGET_EXISTS", `Cannot move '${from}' to '${to}': it exists`);
    throw error;
  }
  // Seconds as a double: about a microsecond of precision, enough to tell the copy's age.
  const mtime = Number(before.mtimeNs) / 1e9;
  await utimes(to, mtime, mtime);
  await fsync(to);
  if (!sameIdentity(before, await identify(from))) {
    await rm(to, { force: true });
    throw new WatchError("IO", `Cannot move '${from}': it changed while it was copied`);
  }
  await unlink(from);
}
