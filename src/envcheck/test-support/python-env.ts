/**
 * Real Python environments for tests: a venv made by `python3 -m venv --without-pip` (so it
 * holds only what the test installs), with wheels installed by the outer pip
 * (`pip --python <venv> install --no-index --no-deps`), offline.
 */
import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const CANDIDATES = ["/usr/bin/python3", "/root/.pyenv/versions/3.11.7/bin/python3"];

/** The first interpreter that has both venv and pip, or undefined (tests then skip). */
export async function findPython(): Promise<string | undefined> {
  for (const python of CANDIDATES) {
    try {
      await access(python);
      await run(python, ["-c", "import venv, pip"]);
      return python;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

export async function makeVenv(python: string, dir: string): Promise<string> {
  await run(python, ["-m", "venv", "--without-pip", dir]);
  return join(dir, "bin", "python");
}

export async function installWheels(python: string, venvPython: string, wheels: readonly string[]) {
  await run(python, [
    "-m",
    "pip",
    "--python",
    venvPython,
    "--disable-pip-version-check",
    "--no-input",
    "install",
    "--no-index",
    "--no-deps",
    ...wheels,
  ]);
}

/** `lib/pythonX.Y/site-packages` of a venv, relative to it. */
export async function venvSiteDir(venvPython: string): Promise<string> {
  const { stdout } = await run(venvPython, [
    "-c",
    "import sys; print(f'lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages')",
  ]);
  return stdout.trim();
}

/**
 * Overwrites the code in `pycPath` with `source` compiled by `venvPython`, keeping the original
 * 16-byte header (so its source mtime and size still match): the poisoned cache of the threat.
 */
export async function poisonPyc(
  venvPython: string,
  pycPath: string,
  source: string,
  filename: string,
) {
  const script = [
    "import marshal, sys",
    "pyc, src, name = sys.argv[1], sys.argv[2], sys.argv[3]",
    "header = open(pyc, 'rb').read()[:16]",
    "code = compile(src, name, 'exec', dont_inherit=True)",
    "open(pyc, 'wb').write(header + marshal.dumps(code))",
  ].join("\n");
  await run(venvPython, ["-I", "-S", "-c", script, pycPath, source, filename]);
}
