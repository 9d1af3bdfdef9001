import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after } from "node:test";

/** A fresh directory removed after the test file; `put` writes files below it. */
export async function tempDir(): Promise<{
  readonly dir: string;
  put(relative: string, data: string | Uint8Array): Promise<string>;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), "tg-readers-"));
  after(() => rm(dir, { recursive: true, force: true }));
  return {
    dir,
    async put(relative, data) {
      const file = path.join(dir, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, data);
      return file;
    },
  };
}
