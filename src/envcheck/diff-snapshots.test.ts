import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { diffSnapshots } from "./diff-snapshots.js";
import { EnvCheckError } from "./env-error.js";
import { snapshotEnvironment } from "./snapshot.js";
import { snapshotPackageOf } from "./snapshot-package.js";
import { writeSitePackages } from "./test-support/site-packages.js";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof EnvCheckError ? error.code : "other";
  }
  return undefined;
}

describe("diffSnapshots()", () => {
  let work = "";
  let env = "";
  let privateKeyPem = "";

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "tg-envcheck-diff-"));
    env = join(work, "venv");
    await writeFile(join(work, "placeholder"), "");
    const site = join(env, "lib/python3.11/site-packages");
    await writeSitePackages(site, "torch", "2.0", {
      "torch/__init__.py": "",
      "torch/nn.py": "x = 1\n",
    });
    await writeFile(join(env, "pyvenv.cfg"), "home = /usr/bin\n");
    privateKeyPem = generateKeyPairSync("ec", { namedCurve: "P-256" })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("lists added, removed and changed files, grouped by the package their path shows", async () => {
    const a = await snapshotEnvironment(env, { privateKeyPem });
    const site = join(env, "lib/python3.11/site-packages");
    await writeFile(join(site, "torch/nn.py"), "x = 2\n");
    await unlink(join(site, "torch/__init__.py"));
    await writeFile(join(site, "evil.pth"), "import os\n");
    const b = await snapshotEnvironment(env, { privateKeyPem });
    const diff = diffSnapshots(a.bundleJson, b.bundleJson);
    assert.deepEqual(diff.counts, { added: 1, removed: 1, changed: 1 });
    assert.deepEqual(
      diff.entries.map((entry) => [entry.change, entry.path, entry.package]),
      [
        ["added", "lib/python3.11/site-packages/evil.pth", "evil"],
        ["removed", "lib/python3.11/site-packages/torch/__init__.py", "torch"],
        ["changed", "lib/python3.11/site-packages/torch/nn.py", "torch"],
      ],
    );
    assert.equal(diff.byPackage.get("torch")?.length, 2);
  });

  it("refuses input that is not a snapshot with SNAPSHOT", async () => {
    const good = (await snapshotEnvironment(env, { privateKeyPem })).bundleJson;
    assert.equal(
      code(() => diffSnapshots("{", good)),
      "SNAPSHOT",
    );
    assert.equal(
      code(() => diffSnapshots(good, "[]")),
      "SNAPSHOT",
    );
    assert.equal(
      code(() => diffSnapshots(good, JSON.stringify({ mediaType: "x" }))),
      "SNAPSHOT",
    );
  });
});

describe("snapshotPackageOf()", () => {
  it("takes the first segment below a site directory, without suffixes or versions", () => {
    assert.equal(snapshotPackageOf("lib/python3.11/site-packages/torch/nn/f.py", "venv"), "torch");
    assert.equal(snapshotPackageOf("lib/python3.11/site-packages/six.py", "venv"), "six");
    assert.equal(
      snapshotPackageOf("lib/python3.11/site-packages/_C.cpython-311-x86_64-linux-gnu.so", "venv"),
      "_C",
    );
    assert.equal(
      snapshotPackageOf("lib/python3.11/site-packages/torch-2.0.dist-info/RECORD", "venv"),
      "torch",
    );
    assert.equal(snapshotPackageOf("torch/x.py", "dist-packages"), "torch");
    assert.equal(snapshotPackageOf("bin/python", "venv"), null);
    assert.equal(
      snapshotPackageOf("lib/python3.11/site-packages/__pycache__/six.cpython-311.pyc", "venv"),
      null,
    );
  });
});
