/**
 * Copies one Debian Python package's files from the real dist-packages into a temporary
 * `dist-packages`, with its `.md5sums` and `.list` rewritten to the new location in a temporary
 * dpkg info directory: a Debian tree that tests may tamper with.
 */
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const REAL_DIST_PACKAGES = "/usr/lib/python3/dist-packages";
export const REAL_DPKG_INFO = "/var/lib/dpkg/info";

export interface DebianCopy {
  readonly root: string;
  readonly infoDir: string;
}

export async function copyDebianPackage(pkg: string, work: string): Promise<DebianCopy> {
  const root = join(work, "dist-packages");
  const infoDir = join(work, "dpkg-info");
  await mkdir(root, { recursive: true });
  await mkdir(infoDir, { recursive: true });
  const from = `${REAL_DIST_PACKAGES}/`;
  const list = (await readFile(join(REAL_DPKG_INFO, `${pkg}.list`), "utf8")).split("\n");
  const newList: string[] = [];
  for (const path of list) {
    if (!path.startsWith(from)) continue;
    const rel = path.slice(from.length);
    newList.push(join(root, rel));
  }
  const md5 = (await readFile(join(REAL_DPKG_INFO, `${pkg}.md5sums`), "utf8")).split("\n");
  const newMd5: string[] = [];
  for (const line of md5) {
    const index = line.indexOf(from.slice(1));
    if (index === -1) continue;
    const rel = line.slice(index + from.length - 1);
    const target = join(root, rel);
    await mkdir(join(target, ".."), { recursive: true });
    await copyFile(join(REAL_DIST_PACKAGES, rel), target);
    newMd5.push(`${line.slice(0, index)}${target.slice(1)}`);
  }
  await writeFile(join(infoDir, `${pkg}.list`), `${newList.join("\n")}\n`);
  await writeFile(join(infoDir, `${pkg}.md5sums`), `${newMd5.join("\n")}\n`);
  return { root, infoDir };
}
