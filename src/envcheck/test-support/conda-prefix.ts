/**
 * A hand-built conda prefix: files under the prefix and a `conda-meta/<name>-<version>-0.json`
 * whose `paths_data` describes them as conda writes it, including files that had the build
 * placeholder rewritten to the prefix (text and binary mode).
 */
import { createHash } from "node:crypto";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** A build prefix as conda-build pads it (longer than any install prefix, so binary mode fits). */
export const PLACEHOLDER = `/opt/anaconda1anaconda2anaconda3${"_placehold".repeat(20)}`;

export type CondaFile =
  | { readonly path: string; readonly text: string; readonly inPrefixHash?: boolean }
  | { readonly path: string; readonly placeholderText: string; readonly mode: "text" }
  | { readonly path: string; readonly placeholderBinary: string; readonly mode: "binary" }
  | { readonly path: string; readonly linkTo: string };

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** conda's binary rewrite: inside each NUL-terminated string, pad back to the same length. */
function binaryRewrite(packaged: Buffer, prefix: string): Buffer {
  const text = packaged.toString("latin1");
  return Buffer.from(
    text.replace(/\/opt\/anaconda1anaconda2anaconda3(?:_placehold)*([^\0]*?)\0/g, (match) => {
      const count = match.split(PLACEHOLDER).length - 1;
      const replaced = match.replaceAll(PLACEHOLDER, prefix);
      return replaced + "\0".repeat((PLACEHOLDER.length - prefix.length) * count);
    }),
    "latin1",
  );
}

export async function buildCondaPrefix(
  prefix: string,
  name: string,
  version: string,
  files: readonly CondaFile[],
): Promise<void> {
  await mkdir(join(prefix, "conda-meta"), { recursive: true });
  await writeFile(join(prefix, "conda-meta", "history"), "");
  const paths: Record<string, unknown>[] = [];
  for (const file of files) {
    const target = join(prefix, file.path);
    await mkdir(dirname(target), { recursive: true });
    if ("linkTo" in file) {
      await symlink(file.linkTo, target);
      paths.push({ _path: file.path, path_type: "softlink" });
      continue;
    }
    if ("text" in file) {
      const data = Buffer.from(file.text);
      await writeFile(target, data);
      const digest = sha256(data);
      paths.push({
        _path: file.path,
        path_type: "hardlink",
        sha256: digest,
        size_in_bytes: data.length,
        ...(file.inPrefixHash === true ? { sha256_in_prefix: digest } : {}),
      });
      continue;
    }
    const packaged = Buffer.from(
      "placeholderText" in file ? file.placeholderText : file.placeholderBinary,
      "latin1",
    );
    const installed =
      file.mode === "text"
        ? Buffer.from(packaged.toString("latin1").replaceAll(PLACEHOLDER, prefix), "latin1")
        : binaryRewrite(packaged, prefix);
    await writeFile(target, installed);
    paths.push({
      _path: file.path,
      path_type: "hardlink",
      prefix_placeholder: PLACEHOLDER,
      file_mode: file.mode,
      sha256: sha256(packaged),
      size_in_bytes: packaged.length,
    });
  }
  const record = {
    name,
    version,
    build: "0",
    files: files.map((file) => file.path),
    paths_data: { paths, paths_version: 1 },
  };
  await writeFile(
    join(prefix, "conda-meta", `${name}-${version}-0.json`),
    JSON.stringify(record, null, 2),
  );
}
