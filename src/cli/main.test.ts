/**
 * End-to-end tests of the real CLI: each spawns `node --import tsx src/cli/main.ts` on files
 * written to a temporary directory.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { validateGithubSarif } from "../scan/report/test-support/github-sarif-validator.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MAIN = join(ROOT, "src", "cli", "main.ts");
/** tsx by URL, so that the CLI can run with a working directory outside the repository. */
const TSX = import.meta.resolve("tsx");

/** `pickle.dumps(1, protocol=4)`. */
const BENIGN_PICKLE = Buffer.from([0x80, 0x04, 0x4b, 0x01, 0x2e]);
/** `mylib.Layer()` through STACK_GLOBAL + NEWOBJ: a global on no list. */
const UNKNOWN_PICKLE = Buffer.from("\x80\x04\x8c\x05mylib\x8c\x05Layer\x93)\x81.", "latin1");
/** `os.system("echo")` through STACK_GLOBAL + REDUCE. */
const DANGEROUS_PICKLE = Buffer.from(
  "\x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x04echo\x85R.",
  "latin1",
);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", TSX, MAIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let dir = "";
let benign = "";
let dangerous = "";
let unknown = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "trainguard-cli-"));
  benign = join(dir, "benign.pkl");
  dangerous = join(dir, "dangerous.pkl");
  await writeFile(benign, BENIGN_PICKLE);
  await writeFile(dangerous, DANGEROUS_PICKLE);
  unknown = join(dir, "unknown.pkl");
  await writeFile(unknown, UNKNOWN_PICKLE);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("trainguard (usage)", () => {
  it("--help exits 0 and lists the scan command", async () => {
    const run = await cli(["--help"]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^Usage: trainguard /);
    assert.match(run.stdout, /^ {2}scan \[options\] <paths\.\.\.>/m);
  });

  it("scan --help exits 0 and shows options and examples", async () => {
    const run = await cli(["scan", "--help"]);
    assert.equal(run.code, 0);
    for (const option of [
      "--format",
      "--allow",
      "--config",
      "--output",
      "--max-opcodes",
      "--no-progress",
      "--quiet",
    ]) {
      assert.ok(run.stdout.includes(option), option);
    }
    assert.match(run.stdout, /Examples:\n {2}\$ trainguard scan/);
  });

  it("--version prints the package version and exits 0", async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
    const run = await cli(["--version"]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), version);
  });

  it("an unknown option exits 2, not 1", async () => {
    const run = await cli(["scan", "--bogus", benign]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^trainguard: Cannot parse the command line: unknown option '--bogus'$/m,
    );
  });

  it("a format outside text|json|sarif exits 2", async () => {
    const run = await cli(["scan", "--format", "xml", benign]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /^trainguard: Cannot parse the command line: .*Allowed choices are text, json, sarif$/m,
    );
  });

  it("a limit that is not a positive integer exits 2", async () => {
    for (const value of ["0", "-5", "1e9", "ten"]) {
      const run = await cli(["scan", "--max-opcodes", value, benign]);
      assert.equal(run.code, 2, value);
      assert.match(run.stderr, /trainguard: Cannot parse the command line: .*--max-opcodes/);
    }
  });

  it("scan without a path exits 2", async () => {
    const run = await cli(["scan"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /missing required argument 'paths'/);
  });

  it("no command prints help on stderr and exits 2", async () => {
    const run = await cli([]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Usage: trainguard/);
  });
});

describe("trainguard scan", () => {
  it("exits 0 with a one-line summary and 'No findings.' for a benign pickle", async () => {
    const run = await cli(["scan", benign]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      "Scanned 1 file: 1 clean, 0 suspicious, 0 dangerous, 0 unscannable\nNo findings.\n",
    );
    assert.equal(run.stderr, "");
  });

  it("exits 1 and names the file and rule for os.system", async () => {
    const run = await cli(["scan", benign, dangerous]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /^Scanned 2 files: 1 clean, 0 suspicious, 1 dangerous, 0 unscannable$/m,
    );
    assert.match(run.stdout, /dangerous +pickle +.*dangerous\.pkl/);
    assert.match(run.stdout, /pickle\/dangerous-global/);
    assert.ok(!run.stdout.includes("benign.pkl"));
  });

  it("--quiet prints only the summary line", async () => {
    const run = await cli(["scan", "--quiet", dangerous]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "Scanned 1 file: 0 clean, 0 suspicious, 1 dangerous, 0 unscannable\n");
  });

  it("exits 2 with 'Cannot' for a path that does not exist", async () => {
    const run = await cli(["scan", join(dir, "missing.pt")]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^trainguard: Cannot /m);
  });

  it("--format json has exactly the documented shape", async () => {
    const run = await cli(["scan", "--format", "json", benign, dangerous]);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(report), ["files", "summary", "tool"]);
    assert.deepEqual(report.summary, {
      files: 2,
      clean: 1,
      suspicious: 0,
      dangerous: 1,
      unscannable: 0,
    });
    assert.equal(report.tool.name, "trainguard");
    for (const file of report.files) {
      assert.deepEqual(Object.keys(file), [
        "path",
        "format",
        "verdict",
        "findings",
        "size",
        "bytesRead",
      ]);
      for (const finding of file.findings) {
        assert.deepEqual(Object.keys(finding).slice(0, 4), [
          "rule",
          "severity",
          "message",
          "location",
        ]);
      }
    }
    const bad = report.files.find((file: { verdict: string }) => file.verdict === "dangerous");
    assert.equal(bad.format, "pickle");
    assert.ok(
      bad.findings.some((finding: { rule: string }) => finding.rule === "pickle/dangerous-global"),
    );
  });

  it("--format sarif is a SARIF 2.1.0 log GitHub accepts", async () => {
    const run = await cli(["scan", "--format", "sarif", "benign.pkl", "dangerous.pkl"], dir);
    assert.equal(run.code, 1, run.stderr);
    const log = JSON.parse(run.stdout);
    assert.deepEqual(validateGithubSarif(log), []);
    const [result] = log.runs[0].results;
    assert.equal(result.ruleId, "pickle/dangerous-global");
    assert.equal(result.level, "error");
    assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, {
      uri: "dangerous.pkl",
      uriBaseId: "%SRCROOT%",
    });
  });

  it("--output writes the report to a file and nothing to stdout", async () => {
    const output = join(dir, "report.json");
    const run = await cli(["scan", "--format", "json", "--output", output, dangerous]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(JSON.parse(await readFile(output, "utf8")).summary.dangerous, 1);
  });

  it("exits 2 when the report cannot be written", async () => {
    const run = await cli(["scan", "--output", join(dir, "no", "such", "dir", "r.txt"), benign]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^trainguard: Cannot write the report to ".*r\.txt": ENOENT$/m);
  });

  it("exits 2 for a config file that does not exist or is not JSON", async () => {
    const broken = join(dir, "broken.json");
    await writeFile(broken, "{ not json");
    for (const config of [join(dir, "none.json"), broken]) {
      const run = await cli(["scan", "--config", config, benign]);
      assert.equal(run.code, 2, config);
      assert.match(run.stderr, /^trainguard: Cannot /m);
    }
  });

  it("--allow clears an unknown global; without it the file is suspicious", async () => {
    const before = await cli(["scan", unknown]);
    assert.equal(before.code, 1, before.stderr);
    assert.match(before.stdout, /pickle\/unknown-global/);
    const allowed = await cli([
      "scan",
      "--allow",
      "other.Thing",
      "--allow",
      "mylib.Layer",
      unknown,
    ]);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /^Scanned 1 file: 1 clean/);
  });

  it("--config allow list is used, and --allow adds to it", async () => {
    const config = join(dir, "allow.json");
    await writeFile(config, JSON.stringify({ allow: ["mylib.*"] }));
    assert.equal((await cli(["scan", "--config", config, unknown])).code, 0);
    const none = join(dir, "none-allowed.json");
    await writeFile(none, JSON.stringify({ allow: [] }));
    assert.equal((await cli(["scan", "--config", none, unknown])).code, 1);
    assert.equal(
      (await cli(["scan", "--config", none, "--allow", "mylib.Layer", unknown])).code,
      0,
    );
  });

  it("an --allow entry that is not a dotted name exits 2", async () => {
    const run = await cli(["scan", "--allow", "not a name", unknown]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^trainguard: Cannot use allow entry 'not a name'/m);
  });

  it("a config with the wrong shape exits 2", async () => {
    const config = join(dir, "bad-shape.json");
    await writeFile(config, JSON.stringify({ allow: "mylib.Layer" }));
    const run = await cli(["scan", "--config", config, unknown]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^trainguard: Cannot /m);
  });
});
