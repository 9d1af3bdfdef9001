/** checkEnvironment() on hand-built site-packages: the cases a real installer rarely produces. */
import assert from "node:assert/strict";
import { appendFile, cp, mkdir, mkdtemp, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { checkEnvironment } from "./check-environment.js";
import { EnvCheckError } from "./env-error.js";
import { writeSitePackages } from "./test-support/site-packages.js";
import type { EnvReport } from "./types.js";

function kinds(report: EnvReport): string[][] {
  return report.findings.map((f) => [
    f.kind,
    f.path,
    f.package ?? "-",
    f.expected === true ? "expected" : "",
  ]);
}

describe("checkEnvironment() on a hand-built site-packages", () => {
  let work = "";
  let site = "";
  let n = 0;
  const copy = async () => {
    n += 1;
    const dir = join(work, `c${n}`, "site-packages");
    await cp(site, dir, { recursive: true, verbatimSymlinks: true });
    return dir;
  };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "tg-envcheck-site-"));
    site = join(work, "base", "site-packages");
    await writeSitePackages(site, "pkg", "1.0", { "pkg/__init__.py": "", "pkg/a.py": "A = 1\n" });
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("reports a file the RECORD lists without a hash as unverified", async () => {
    const dir = await copy();
    await appendFile(join(dir, "pkg-1.0.dist-info/RECORD"), "pkg/nohash.py,,\n");
    await writeFile(join(dir, "pkg/nohash.py"), "");
    assert.deepEqual(kinds(await checkEnvironment(dir)), [
      ["unverified", "pkg/nohash.py", "pkg", ""],
    ]);
  });

  it("reports a recorded file replaced by a symbolic link as modified, without following it", async () => {
    const dir = await copy();
    await unlink(join(dir, "pkg/a.py"));
    await symlink("/etc/hostname", join(dir, "pkg/a.py"));
    const report = await checkEnvironment(dir);
    assert.deepEqual(kinds(report), [["modified", "pkg/a.py", "pkg", ""]]);
    assert.match(report.findings[0]?.detail ?? "", /symbolic link/);
  });

  it("reports unowned top-level files, path-only .pth files and hook packages", async () => {
    const dir = await copy();
    await writeFile(join(dir, "stray.py"), "");
    await writeFile(join(dir, "paths.pth"), "/opt/elsewhere\n");
    await mkdir(join(dir, "usercustomize"));
    await writeFile(join(dir, "usercustomize/__init__.py"), "");
    await symlink(join(dir, "paths.pth"), join(dir, "linked.pth"));
    assert.deepEqual(kinds(await checkEnvironment(dir)), [
      ["startup-hook", "linked.pth", "-", ""],
      ["unexpected", "paths.pth", "-", ""],
      ["unexpected", "stray.py", "-", ""],
      ["startup-hook", "usercustomize", "-", ""],
    ]);
  });

  it("fails with BAD_RECORD on a malformed RECORD and NOT_ENVIRONMENT without records", async () => {
    const dir = await copy();
    await writeFile(join(dir, "pkg-1.0.dist-info/RECORD"), "pkg/a.py,md5\n");
    await assert.rejects(
      checkEnvironment(dir),
      (e: unknown) => e instanceof EnvCheckError && e.code === "BAD_RECORD",
    );
    const empty = join(work, "empty", "site-packages");
    await mkdir(empty, { recursive: true });
    await assert.rejects(
      checkEnvironment(empty),
      (e: unknown) => e instanceof EnvCheckError && e.code === "NOT_ENVIRONMENT",
    );
  });
});
