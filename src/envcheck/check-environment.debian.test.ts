/**
 * checkEnvironment() on Debian's dist-packages: the real python3-torch tree read-only, and a copy
 * of a small Debian package with rewritten md5sums that the test tampers with.
 */
import assert from "node:assert/strict";
import { access, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { checkEnvironment } from "./check-environment.js";
import {
  copyDebianPackage,
  REAL_DIST_PACKAGES,
  REAL_DPKG_INFO,
} from "./test-support/debian-copy.js";

async function present(...paths: string[]): Promise<boolean> {
  try {
    for (const path of paths) await access(path);
    return true;
  } catch {
    return false;
  }
}

const TORCH = await present(
  join(REAL_DIST_PACKAGES, "torch"),
  join(REAL_DPKG_INFO, "python3-torch.md5sums"),
);
const IDNA = await present(
  join(REAL_DIST_PACKAGES, "idna"),
  join(REAL_DPKG_INFO, "python3-idna.md5sums"),
);

describe("checkEnvironment() on Debian dist-packages", () => {
  const work: string[] = [];
  after(async () => {
    for (const dir of work) await rm(dir, { recursive: true, force: true });
  });

  it("finds no modified or missing file in the real python3-torch tree (--package torch)", {
    skip: TORCH
      ? false
      : "python3-torch is not installed here (no dist-packages/torch or its md5sums)",
  }, async (t) => {
    const started = performance.now();
    const report = await checkEnvironment(REAL_DIST_PACKAGES, { packages: ["torch"] });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    t.diagnostic(
      `python3-torch: ${report.summary.filesHashed} files hashed, ${report.summary.bytecodeChecked} bytecode files in ${seconds} s`,
    );
    assert.equal(report.layout, "dist-packages");
    assert.deepEqual(report.packageNames, ["python3-torch"]);
    assert.ok(report.summary.filesHashed > 1000);
    const broken = report.findings.filter(
      (f) => f.kind === "modified" || f.kind === "missing" || f.kind === "unexpected",
    );
    assert.deepEqual(broken, []);
  });

  it("reports tampering in a copy of python3-idna checked against its rewritten md5sums", {
    skip: IDNA ? false : "python3-idna is not installed here",
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "tg-envcheck-deb-"));
    work.push(dir);
    const { root, infoDir } = await copyDebianPackage("python3-idna", dir);
    const untouched = await checkEnvironment(root, { dpkgInfoDir: infoDir });
    assert.deepEqual(untouched.packageNames, ["python3-idna"]);
    assert.equal(untouched.summary.failing, 0, JSON.stringify(untouched.findings, null, 1));

    await writeFile(join(root, "idna/core.py"), "raise SystemExit\n", { flag: "a" });
    await unlink(join(root, "idna/compat.py"));
    await writeFile(join(root, "idna/implant.py"), "import os\n");
    await writeFile(join(root, "zz.pth"), "import idna\n");
    const report = await checkEnvironment(root, { dpkgInfoDir: infoDir });
    const by = (kind: string, path: string) =>
      report.findings.find((finding) => finding.kind === kind && finding.path === path);
    assert.equal(by("modified", "idna/core.py")?.package, "python3-idna");
    assert.match(by("modified", "idna/core.py")?.detail ?? "", /^md5 /);
    assert.equal(by("missing", "idna/compat.py")?.package, "python3-idna");
    assert.equal(by("unexpected", "idna/implant.py")?.package, "python3-idna");
    assert.equal(by("startup-hook", "zz.pth")?.package, null);
  });
});
