/** Small model trees for tests, written to a temporary directory. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Files chosen to exercise the path order: `a/b` < `a-b` < `a.txt`, nested directories. */
export const SAMPLE_MODEL: Readonly<Record<string, string>> = {
  "a/b": "weights of a/b\n",
  "a-b": "x".repeat(37),
  "a.txt": "the config",
  "d0/d1/f0": "deep file contents, long enough for a few shards",
  f10: "ten",
  f2: "two",
};

export async function writeModel(
  root: string,
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), content);
  }
}
