/**
 * checkEnvironment() on real venvs: built with `python3 -m venv`, packages installed by pip from
 * wheels made in the test, then tampered with one way each.
 */
import assert from "node:assert/strict";
import { cp, mkdir, mkdtemp, readdir, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { checkEnvironment } from "./check-environment.js";
import {
  findPython,
  installWheels,
  makeVenv,
  poisonPyc,
  venvSiteDir,
} from "./test-support/python-env.js";
import { buildWheel } from "./test-support/wheel-builder.js";
import type { EnvFinding, EnvReport } from "./types.js";

const FAKEPKG = {
  name: "fakepkg",
  version: "1.0",
  files: {
    "fakepkg/__init__.py": "from .core import train\n",
    "fakepkg/core.py": "def train(lr=0.1):\n    return lr * 2\n",
    "fakepkg/nn/__init__.py": "",
    "fakepkg/nn/functional.py": "def relu(x):\n    return max(x, 0)\n",
    "fakepkg/data.txt": "weights\n",
  },
};

const HOOKPKG = {
  name: "hookpkg",
  version: "2.0",
  files: {
    "hookpkg/__init__.py": "ENABLED = True\n",
    "hookpkg-init.pth": "import hookpkg\n",
  },
};

function find(report: EnvReport, kind: string, path: string): EnvFinding | undefined {
  return report.findings.find((finding) => finding.kind === kind && finding.path === path);
}

describe("checkEnvironment() on a real venv", async () => {
  const python = await findPython();
  const skip = python === undefined ? "no python3 with venv and pip on this machine" : false;
  let work = "";
  let clean = "";
  let venvPython = "";
  let site = "";

  before(async () => {
    if (python === undefined) return;
    work = await mkdtemp(join(tmpdir(), "tg-envcheck-venv-"));
    const wheels = join(work, "wheels");
    await mkdir(wheels);
    clean = join(work, "clean");
    venvPython = await makeVenv(python, clean);
    await installWheels(python, venvPython, [
      await buildWheel(wheels, FAKEPKG),
      await buildWheel(wheels, HOOKPKG),
    ]);
    site = await venvSiteDir(venvPython);
  });

  after(async () => {
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  it("verifies an untouched venv, reporting the hook its package installed as expected", {
    skip,
  }, async () => {
    const report = await checkEnvironment(clean, { python: venvPython });
    assert.equal(report.layout, "venv");
    assert.deepEqual(report.packageNames, ["fakepkg", "hookpkg"]);
    assert.equal(report.summary.failing, 0, JSON.stringify(report.findings, null, 1));
    const hook = find(report, "startup-hook", `${site}/hookpkg-init.pth`);
    assert.equal(hook?.expected, true);
    assert.equal(hook?.package, "hookpkg");
    assert.ok(report.summary.bytecodeChecked > 0, "pip compiled the package");
  });

  it("reports each kind of tampering with its path and package", { skip }, async () => {
    const env = join(work, "tampered");
    await cp(clean, env, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    const pkg = join(env, site, "fakepkg");
    // 1. an edited source (the reference attack)
    await writeFile(join(pkg, "nn/functional.py"), "def relu(x):\n    return x\n");
    // 2. a deleted file
    await unlink(join(pkg, "data.txt"));
    // 3. an unlisted module inside the package
    await writeFile(join(pkg, "backdoor.py"), "import os\n");
    // 4. a foreign .pth with an import line
    await writeFile(join(env, site, "zz-evil.pth"), "import os; os.environ['SEED'] = '1'\n");
    // 5. sitecustomize
    await writeFile(join(env, site, "sitecustomize.py"), "import random\nrandom.seed(0)\n");
    // 6. a poisoned cache: other code under the original header
    const cache = join(pkg, "__pycache__");
    const corePyc = (await readdir(cache)).find((name) => name.startsWith("core."));
    assert.ok(corePyc !== undefined);
    await poisonPyc(
      venvPython,
      join(cache, corePyc),
      "def train(lr=0.1):\n    return lr * 3\n",
      join(pkg, "core.py"),
    );
    // 7. an orphan: sourceless bytecode where Python imports it (fakepkg.ghost)
    await cp(join(cache, corePyc), join(pkg, "ghost.pyc"));

    const report = await checkEnvironment(env, { python: venvPython });
    const at = (rel: string) => `${site}/${rel}`;
    assert.equal(find(report, "modified", at("fakepkg/nn/functional.py"))?.package, "fakepkg");
    assert.equal(find(report, "missing", at("fakepkg/data.txt"))?.package, "fakepkg");
    const extra = find(report, "unexpected", at("fakepkg/backdoor.py"));
    assert.equal(extra?.package, "fakepkg");
    assert.equal(extra?.severity, "critical");
    const pth = find(report, "startup-hook", at("zz-evil.pth"));
    assert.equal(pth?.package, null);
    assert.equal(pth?.expected, undefined);
    assert.ok(find(report, "startup-hook", at("sitecustomize.py")));
    assert.equal(
      find(report, "bytecode-mismatch", at(`fakepkg/__pycache__/${corePyc}`))?.package,
      "fakepkg",
    );
    assert.ok(find(report, "orphan-bytecode", at("fakepkg/ghost.pyc")));
    // the package's own hook is still expected
    assert.equal(find(report, "startup-hook", at("hookpkg-init.pth"))?.expected, true);
    assert.ok(report.summary.failing >= 7);
  });

  it("fails an edited hook its package lists: changed since install", { skip }, async () => {
    const env = join(work, "hook-edited");
    await cp(clean, env, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await writeFile(join(env, site, "hookpkg-init.pth"), "import hookpkg; import os\n");
    const report = await checkEnvironment(env);
    const hook = find(report, "startup-hook", `${site}/hookpkg-init.pth`);
    assert.equal(hook?.expected, undefined);
    assert.ok(find(report, "modified", `${site}/hookpkg-init.pth`));
  });

  it("reports a dist-info whose RECORD was deleted, and the files it no longer covers", {
    skip,
  }, async () => {
    const env = join(work, "no-record");
    await cp(clean, env, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await unlink(join(env, site, "fakepkg-1.0.dist-info", "RECORD"));
    const report = await checkEnvironment(env);
    assert.equal(
      find(report, "missing", `${site}/fakepkg-1.0.dist-info/RECORD`)?.package,
      "fakepkg",
    );
    assert.ok(find(report, "unexpected", `${site}/fakepkg/core.py`));
  });

  it("limits the check to --package and skips environment-wide hooks", { skip }, async () => {
    const env = join(work, "one-package");
    await cp(clean, env, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await writeFile(join(env, site, "hookpkg", "extra.py"), "");
    await writeFile(join(env, site, "sitecustomize.py"), "");
    const report = await checkEnvironment(env, { packages: ["FakePkg"] });
    assert.deepEqual(report.packageNames, ["fakepkg"]);
    assert.equal(report.findings.length, 0);
  });
});
