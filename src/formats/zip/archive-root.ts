import type { ZipEntry } from "./types.js";

/**
 * PyTorch's reader takes the archive's root folder from the FIRST entry: everything before its
 * first '/' (caffe2/serialize/inline_container.cc). Returns null when that entry has no '/'.
 */
export function archiveRootFolder(entries: readonly ZipEntry[]): string | null {
  const first = entries[0];
  if (first === undefined) return null;
  const slash = first.name.indexOf("/");
  return slash < 0 ? null : first.name.slice(0, slash);
}
