/**
 * What PATH is: a venv (has `pyvenv.cfg`, PEP 405), a conda prefix (has `conda-meta/`), or a
 * site directory itself (`site-packages`, Debian's `dist-packages`, or any directory holding
 * `*.dist-info`). Where its site directories are follows CPython's `site.py` on POSIX
 * (`lib/pythonX.Y/site-packages`) and on Windows (`Lib/site-packages`).
 */
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { EnvCheckError } from "./env-error.js";
import type { LayoutKind } from "./types.js";

export interface EnvLayout {
  readonly kind: LayoutKind;
  /** Absolute path as given. */
  readonly root: string;
  /** Real path of the root (symbolic links resolved); dpkg records use either spelling. */
  readonly realRoot: string;
  /** Site directories relative to root; "" when root is the site directory. */
  readonly siteDirs: readonly string[];
  /** Standard-library directories inside the root (conda), where sitecustomize may also live. */
  readonly stdlibDirs: readonly string[];
}

const PYTHON_LIB = /^(python3\.\d{1,3}t?|pypy3\.\d{1,3})$/;

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isFile();
  } catch {
    return false;
  }
}

async function listOrEmpty(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}

/** `lib/python3.X` directories of a prefix, sorted. */
async function pythonLibDirs(root: string): Promise<string[]> {
  const names = (await listOrEmpty(join(root, "lib"))).filter((name) => PYTHON_LIB.test(name));
  const dirs: string[] = [];
  for (const name of names.sort()) {
    if (await isDirectory(join(root, "lib", name))) dirs.push(`lib/${name}`);
  }
  return dirs;
}

async function prefixSiteDirs(root: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const lib of await pythonLibDirs(root)) {
    if (await isDirectory(join(root, lib, "site-packages"))) dirs.push(`${lib}/site-packages`);
  }
  if (await isDirectory(join(root, "Lib", "site-packages"))) dirs.push("Lib/site-packages");
  return dirs;
}

export async function detectLayout(path: string): Promise<EnvLayout> {
  const root = resolve(path);
  try {
    if (!(await stat(root)).isDirectory()) {
      throw new EnvCheckError(
        "NOT_ENVIRONMENT",
        `Cannot check the environment "${path}": not a directory`,
      );
    }
  } catch (error) {
    if (error instanceof EnvCheckError) throw error;
    const errno = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new EnvCheckError("NOT_FOUND", `Cannot check the environment "${path}": ${errno}`);
  }
  const realRoot = await realpath(root);
  const inPrefix = async (kind: LayoutKind, stdlib: boolean): Promise<EnvLayout> => {
    const siteDirs = await prefixSiteDirs(root);
    if (siteDirs.length === 0) {
      throw new EnvCheckError(
        "NOT_ENVIRONMENT",
        `Cannot check the environment "${path}": it is a ${kind} with no site-packages directory`,
      );
    }
    const stdlibDirs = stdlib ? await pythonLibDirs(root) : [];
    return { kind, root, realRoot, siteDirs, stdlibDirs };
  };
  if (await isFile(join(root, "pyvenv.cfg"))) return inPrefix("venv", false);
  if (await isDirectory(join(root, "conda-meta"))) return inPrefix("conda", true);
  const name = basename(root);
  if (name === "dist-packages") {
    return { kind: "dist-packages", root, realRoot, siteDirs: [""], stdlibDirs: [] };
  }
  const hasDistInfo = (await listOrEmpty(root)).some(
    (entry) => entry.endsWith(".dist-info") || entry.endsWith(".egg-info"),
  );
  if (name === "site-packages" || hasDistInfo) {
    return { kind: "site-packages", root, realRoot, siteDirs: [""], stdlibDirs: [] };
  }
  throw new EnvCheckError(
    "NOT_ENVIRONMENT",
    `Cannot check the environment "${path}": no pyvenv.cfg, conda-meta/ or *.dist-info found`,
  );
}
