/**
 * Writes a small state file so that a crash leaves either the old or the new content, never a
 * torn one: a temporary file beside it, fsync, then an atomic rename (POSIX rename(2)).
 */
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";

export async function writeFileDurably(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const file = await open(temporary, "wx", 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
