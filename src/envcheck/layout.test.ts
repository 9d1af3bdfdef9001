import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EnvCheckError } from "./env-error.js";
import { detectLayout } from "./layout.js";

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return error instanceof EnvCheckError ? error.code : "other";
  }
  return undefined;
}

describe("detectLayout()", () => {
  let work = "";
  before(async () => {
    work = await mkdtemp(join(tmpdir(), "tg-envcheck-layout-"));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("finds a venv's site-packages from pyvenv.cfg", async () => {
    const venv = join(work, "venv");
    await mkdir(join(venv, "lib/python3.12/site-packages"), { recursive: true });
    await writeFile(join(venv, "pyvenv.cfg"), "home = /usr/bin\n");
    const layout = await detectLayout(venv);
    assert.equal(layout.kind, "venv");
    assert.deepEqual(layout.siteDirs, ["lib/python3.12/site-packages"]);
    assert.deepEqual(layout.stdlibDirs, []);
  });

  it("finds a conda prefix's site-packages and standard library", async () => {
    const conda = join(work, "conda");
    await mkdir(join(conda, "conda-meta"), { recursive: true });
    await mkdir(join(conda, "lib/python3.11/site-packages"), { recursive: true });
    const layout = await detectLayout(conda);
    assert.equal(layout.kind, "conda");
    assert.deepEqual(layout.stdlibDirs, ["lib/python3.11"]);
  });

  it("takes a site directory itself, by name or by its dist-info", async () => {
    const dist = join(work, "dist-packages");
    await mkdir(dist);
    assert.equal((await detectLayout(dist)).kind, "dist-packages");
    const other = join(work, "vendor");
    await mkdir(join(other, "x-1.dist-info"), { recursive: true });
    assert.deepEqual((await detectLayout(other)).siteDirs, [""]);
  });

  it("refuses what is not an environment, a missing path, and a venv without site-packages", async () => {
    await mkdir(join(work, "plain"));
    assert.equal(await code(detectLayout(join(work, "plain"))), "NOT_ENVIRONMENT");
    assert.equal(await code(detectLayout(join(work, "nope"))), "NOT_FOUND");
    const empty = join(work, "empty-venv");
    await mkdir(empty);
    await writeFile(join(empty, "pyvenv.cfg"), "");
    assert.equal(await code(detectLayout(empty)), "NOT_ENVIRONMENT");
    await writeFile(join(work, "file"), "");
    assert.equal(await code(detectLayout(join(work, "file"))), "NOT_ENVIRONMENT");
  });
});
