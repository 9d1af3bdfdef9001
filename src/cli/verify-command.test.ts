/** End-to-end tests of `trainguard verify`: the vectors, exit codes and report formats. */
import assert from "node:assert/strict";
import { chmod, cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KEYLESS_VECTORS, OMS_FIXTURES, VECTORS } from "../integrity/test-support/oms-vectors.js";
import { validateGithubSarif } from "../scan/report/test-support/github-sarif-validator.js";
import { cli } from "./cli-test-run.js";

const PUB = "keys/certificate/signing-key-pub.pem";
const CA = "keys/certificate/ca-cert.pem";

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "trainguard-verify-cli-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function vectorArgs(v: (typeof VECTORS)[number]): string[] {
  const model = v.model === "" ? v.dir : `${v.dir}/${v.model}`;
  const trust = v.method === "key" ? ["--public-key", PUB] : ["--certificate-chain", CA];
  const ignore =
    v.ignore.length === 0 ? [] : ["--ignore-paths", ...v.ignore.map((p) => `${v.dir}/${p}`)];
  return ["verify", model, "--signature", `${v.dir}/model.sig`, ...trust, ...ignore];
}

describe("trainguard verify", () => {
  for (const vector of VECTORS) {
    it(`exits 0 for ${vector.dir} with the reference's command line`, async () => {
      const run = await cli(vectorArgs(vector), OMS_FIXTURES);
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.match(run.stdout, /^VERIFIED /);
    });
  }

  for (const dir of KEYLESS_VECTORS) {
    it(`exits 2 for keyless ${dir}: it needs the Sigstore trust root`, async () => {
      const run = await cli(
        ["verify", dir, "--signature", `${dir}/model.sig`, "--public-key", PUB],
        OMS_FIXTURES,
      );
      assert.equal(run.code, 2);
      assert.match(run.stderr, /keyless Sigstore bundle/);
      assert.equal(run.stdout, "");
    });
  }

  it("exits 1 with an ignore-path finding when the signer's ignore-me is not named", async () => {
    const run = await cli(
      [
        "verify",
        "v1.1.0-elliptic-key",
        "--signature",
        "v1.1.0-elliptic-key/model.sig",
        "--public-key",
        PUB,
        "--format",
        "json",
      ],
      OMS_FIXTURES,
    );
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.equal(report.verified, false);
    assert.deepEqual(report.findings, [
      {
        kind: "ignore-path",
        path: "ignore-me",
        detail: "the signer left this path out of the signature; the verifier did not name it",
      },
    ]);
    assert.equal(
      report.signer.keyHint,
      "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e",
    );
  });

  it("--allow-signer-ignore-paths accepts it", async () => {
    const run = await cli(
      [
        "verify",
        "v1.1.0-certificate",
        "--signature",
        "v1.1.0-certificate/model.sig",
        "--certificate-chain",
        CA,
        "--allow-signer-ignore-paths",
      ],
      OMS_FIXTURES,
    );
    assert.equal(run.code, 0, run.stdout);
  });

  it("reports a modified and an extra file in JSON and in SARIF that GitHub accepts", async () => {
    const model = join(dir, "tampered");
    await cp(join(OMS_FIXTURES, "v1.1.0-elliptic-key"), model, { recursive: true });
    await chmod(join(model, "signme-1"), 0o644);
    await writeFile(join(model, "signme-1"), "changed");
    await writeFile(join(model, "extra.pkl"), "x");
    const args = [
      "verify",
      model,
      "--signature",
      join(model, "model.sig"),
      "--public-key",
      join(OMS_FIXTURES, PUB),
      "--ignore-paths",
      join(model, "ignore-me"),
    ];
    const json = await cli([...args, "--format", "json"]);
    assert.equal(json.code, 1);
    assert.deepEqual(
      JSON.parse(json.stdout).findings.map(
        (f: { kind: string; path: string }) => `${f.kind} ${f.path}`,
      ),
      ["unexpected extra.pkl", "modified signme-1"],
    );
    const sarif = await cli([...args, "--format", "sarif"]);
    assert.equal(sarif.code, 1);
    const log = JSON.parse(sarif.stdout);
    assert.deepEqual(validateGithubSarif(log), []);
    assert.deepEqual(
      log.runs[0].results.map((r: { ruleId: string }) => r.ruleId),
      ["integrity/unexpected", "integrity/modified"],
    );
    const text = await cli(args);
    assert.match(text.stdout, /^FAILED .*: 2 findings/);
    assert.match(text.stdout, / {2}modified +signme-1 +content changed/);
  });

  it("exits 2 without a key, with both a key and certificates, and for a malformed signature", async () => {
    const base = ["verify", "v1.1.0-elliptic-key", "--signature", "v1.1.0-elliptic-key/model.sig"];
    assert.equal((await cli(base, OMS_FIXTURES)).code, 2);
    assert.equal(
      (await cli([...base, "--public-key", PUB, "--certificate-chain", CA], OMS_FIXTURES)).code,
      2,
    );
    const bad = join(dir, "bad.sig");
    await writeFile(bad, "{not json");
    const run = await cli([
      "verify",
      join(OMS_FIXTURES, "v1.1.0-elliptic-key"),
      "--signature",
      bad,
      "--public-key",
      join(OMS_FIXTURES, PUB),
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^trainguard: Cannot read the signature: not JSON/);
  });

  it("exits 2 for a malformed --expect-key-hint and 1 for a pin that does not match", async () => {
    const base = [
      "verify",
      "v1.1.0-elliptic-key",
      "--signature",
      "v1.1.0-elliptic-key/model.sig",
      "--public-key",
      PUB,
      "--ignore-paths",
      "v1.1.0-elliptic-key/ignore-me",
    ];
    assert.equal((await cli([...base, "--expect-key-hint", "xyz"], OMS_FIXTURES)).code, 2);
    const run = await cli(
      [...base, "--expect-key-hint", "ab".repeat(32), "--format", "json"],
      OMS_FIXTURES,
    );
    assert.equal(run.code, 1);
    assert.equal(JSON.parse(run.stdout).findings[0].kind, "identity");
  });
});
