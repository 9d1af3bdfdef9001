/** `trainguard env verify|snapshot|diff` through runCli with in-memory streams. */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import { writeSitePackages } from "../envcheck/test-support/site-packages.js";
import { validateGithubSarif } from "../scan/report/test-support/github-sarif-validator.js";
import type { CliIo } from "./io.js";
import { runCli } from "./program.js";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: readonly string[], cwd: string): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const err = new PassThrough();
  err.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: err,
    color: false,
    cwd,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

describe("trainguard env", () => {
  let work = "";
  let site = "";
  let keyPath = "";
  let pubPath = "";

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "tg-env-cli-"));
    site = join(work, "site-packages");
    await writeSitePackages(site, "fakepkg", "1.0", {
      "fakepkg/__init__.py": "VALUE = 1\n",
      "fakepkg/core.py": "def f():\n    return 1\n",
    });
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    keyPath = join(work, "key.pem");
    pubPath = join(work, "key.pub.pem");
    await writeFile(keyPath, privateKey.export({ type: "pkcs8", format: "pem" }));
    await writeFile(pubPath, publicKey.export({ type: "spki", format: "pem" }));
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("verify exits 0 and prints the documented JSON for an untouched site-packages", async () => {
    const run = await cli(["env", "verify", site, "--format", "json"], work);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout);
    assert.equal(json.packages, 1);
    assert.deepEqual(json.findings, []);
  });

  it("verify exits 1 with kind, path and package for each finding; text starts with the summary", async () => {
    const env = join(work, "tampered-site-packages");
    await cp(site, env, { recursive: true });
    await writeFile(join(env, "fakepkg/core.py"), "def f():\n    return 2\n");
    await writeFile(join(env, "fakepkg/extra.py"), "");
    await writeFile(join(env, "evil.pth"), "import os\n");
    const run = await cli(["env", "verify", env, "--format", "json"], work);
    assert.equal(run.code, 1);
    const findings = JSON.parse(run.stdout).findings.map(
      (f: { kind: string; path: string; package: string | null }) => [f.kind, f.path, f.package],
    );
    assert.deepEqual(findings, [
      ["startup-hook", "evil.pth", null],
      ["modified", "fakepkg/core.py", "fakepkg"],
      ["unexpected", "fakepkg/extra.py", "fakepkg"],
    ]);
    const text = await cli(["env", "verify", env], work);
    assert.equal(text.code, 1);
    assert.match(text.stdout.split("\n")[0] ?? "", /^Checked 1 package .*: 3 findings/);
    const sarif = await cli(["env", "verify", env, "--format", "sarif"], work);
    assert.equal(sarif.code, 1);
    assert.deepEqual(validateGithubSarif(JSON.parse(sarif.stdout)), []);
  });

  it("verify exits 2 for a path that is not an environment, a malformed RECORD, or bad usage", async () => {
    assert.equal((await cli(["env", "verify", join(work, "missing")], work)).code, 2);
    const plain = await cli(["env", "verify", tmpdir()], work);
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /^trainguard: Cannot check the environment/);
    const broken = join(work, "broken", "site-packages");
    await cp(site, broken, { recursive: true });
    await writeFile(
      join(broken, "fakepkg-1.0.dist-info/RECORD"),
      'fakepkg/core.py,"unterminated\n',
    );
    const bad = await cli(["env", "verify", broken], work);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Cannot read the record/);
    assert.equal((await cli(["env", "verify", site, "--public-key", pubPath], work)).code, 2);
    assert.equal((await cli(["env", "verify", site, "--package", "nosuch"], work)).code, 2);
    assert.equal((await cli(["env", "verify"], work)).code, 2);
  });

  it("snapshot writes a signed baseline; verify --baseline and diff report what changed", async () => {
    const env = join(work, "snap", "site-packages");
    await cp(site, env, { recursive: true });
    const before = join(work, "before.sig");
    const snap = await cli(
      ["env", "snapshot", env, "--private-key", keyPath, "--output", before],
      work,
    );
    assert.equal(snap.code, 0, snap.stderr);
    assert.equal(
      (await cli(["env", "verify", env, "--baseline", before, "--public-key", pubPath], work)).code,
      0,
    );
    // Rewrite a file together with its RECORD row: the records agree, the baseline does not.
    const { writeSitePackages: rewrite } = await import(
      "../envcheck/test-support/site-packages.js"
    );
    await rewrite(env, "fakepkg", "1.0", {
      "fakepkg/__init__.py": "VALUE = 1\n",
      "fakepkg/core.py": "def f():\n    return 666\n",
    });
    const run = await cli(
      ["env", "verify", env, "--baseline", before, "--public-key", pubPath, "--format", "json"],
      work,
    );
    assert.equal(run.code, 1);
    const baseline = JSON.parse(run.stdout).findings.filter(
      (f: { source: string }) => f.source === "baseline",
    );
    assert.ok(
      baseline.some(
        (f: { kind: string; path: string }) =>
          f.kind === "modified" && f.path === "fakepkg/core.py",
      ),
    );
    const after = join(work, "after.sig");
    assert.equal(
      (await cli(["env", "snapshot", env, "--private-key", keyPath, "--output", after], work)).code,
      0,
    );
    const diff = await cli(["env", "diff", before, after, "--format", "json"], work);
    assert.equal(diff.code, 1);
    const changes = JSON.parse(diff.stdout).changes;
    assert.deepEqual(
      changes
        .filter((c: { package: string | null }) => c.package === "fakepkg")
        .map((c: { change: string; path: string }) => [c.change, c.path]),
      [
        ["changed", "fakepkg-1.0.dist-info/RECORD"],
        ["changed", "fakepkg/core.py"],
      ],
    );
    assert.equal((await cli(["env", "diff", before, before], work)).code, 0);
    const wrongKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({
      type: "spki",
      format: "pem",
    });
    await writeFile(join(work, "other.pub.pem"), wrongKey);
    const refused = await cli(
      ["env", "verify", env, "--baseline", before, "--public-key", join(work, "other.pub.pem")],
      work,
    );
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Cannot trust the baseline/);
    assert.ok((await readFile(before, "utf8")).includes("dsseEnvelope"));
  });
});
