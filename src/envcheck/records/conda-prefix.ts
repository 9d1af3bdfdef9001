/**
 * Undoes conda's install-time prefix rewrite so a file can be compared with the hash of its
 * packaged bytes. conda replaces the build placeholder with the install prefix (conda
 * `core/portability.py`): in text mode every occurrence; in binary mode inside each NUL-terminated
 * string, padding the string with NULs so the file keeps its length (`binary_replace`). Both are
 * reversible when the prefix is not longer than the placeholder; any other case (a shebang conda
 * shortened, a prefix longer than the placeholder) does not restore, and the file is reported as
 * unverified rather than as modified.
 */
import type { PrefixPlaceholder } from "./recorded-file.js";

function replaceAll(data: Buffer, from: Buffer, to: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  for (let i = data.indexOf(from, pos); i !== -1; i = data.indexOf(from, pos)) {
    parts.push(data.subarray(pos, i), to);
    pos = i + from.length;
  }
  parts.push(data.subarray(pos));
  return Buffer.concat(parts);
}

function count(data: Buffer, needle: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(needle); i !== -1; i = data.indexOf(needle, i + needle.length)) n += 1;
  return n;
}

function restoreBinary(data: Buffer, prefix: Buffer, placeholder: Buffer): Buffer | undefined {
  const grow = placeholder.length - prefix.length;
  if (grow < 0) return undefined;
  const parts: Buffer[] = [];
  let pos = 0;
  for (let i = data.indexOf(prefix, pos); i !== -1; i = data.indexOf(prefix, pos)) {
    const end = data.indexOf(0, i);
    if (end === -1) break;
    const segment = data.subarray(i, end + 1);
    const padding = count(segment, prefix) * grow;
    const padEnd = end + 1 + padding;
    if (padEnd > data.length) return undefined;
    for (let k = end + 1; k < padEnd; k += 1) if (data[k] !== 0) return undefined;
    parts.push(data.subarray(pos, i), replaceAll(segment, prefix, placeholder));
    pos = padEnd;
  }
  parts.push(data.subarray(pos));
  return Buffer.concat(parts);
}

/** The packaged bytes of a prefix-rewritten file, or undefined when they cannot be rebuilt. */
export function restorePlaceholder(
  data: Buffer,
  prefix: string,
  placeholder: PrefixPlaceholder,
): Buffer | undefined {
  const from = Buffer.from(prefix, "utf8");
  const to = Buffer.from(placeholder.placeholder, "utf8");
  if (from.length === 0) return undefined;
  return placeholder.mode === "text" ? replaceAll(data, from, to) : restoreBinary(data, from, to);
}
