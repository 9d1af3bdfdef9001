import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { P4, pk, S, SG, STOP, T1R } from "../formats/pickle/test-support/build-pickle.js";
import { ScanError } from "./scan-error.js";
import { scanFile } from "./scan-file.js";
import { scanPath } from "./scan-path.js";

const BENIGN = pk(P4, "}", S("a"), "K", [1], "s", STOP);
const EVIL = pk(P4, S("os"), S("system"), SG, S("id"), T1R, STOP);

describe("scanPath()", () => {
  let root: string;
  let outside: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), "tg-tree-"));
    outside = mkdtempSync(join(tmpdir(), "tg-outside-"));
    mkdirSync(join(root, "sub", "deeper"), { recursive: true });
    writeFileSync(join(root, "a.pt"), BENIGN);
    writeFileSync(join(root, "sub", "deeper", "weights.bin"), EVIL);
    writeFileSync(join(outside, "secret.pkl"), EVIL);
    symlinkSync(join(outside, "secret.pkl"), join(root, "link-out.pkl"));
    symlinkSync(join(root, "a.pt"), join(root, "sub", "link-in.pt"));
    symlinkSync(join(root, "missing"), join(root, "broken.pkl"));
    execFileSync("mkfifo", [join(root, "pipe")]);
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it("walks directories recursively and decides formats by content, not names", async () => {
    const report = await scanPath([root]);
    const byName = new Map(report.files.map((f) => [f.path.slice(root.length + 1), f]));
    assert.equal(byName.get("a.pt")?.verdict, "clean");
    assert.equal(byName.get(join("sub", "deeper", "weights.bin"))?.verdict, "dangerous");
    assert.equal(byName.get(join("sub", "deeper", "weights.bin"))?.format, "pickle");
  });

  it("reports a symbolic link out of the tree without following it", async () => {
    const report = await scanPath([root]);
    const link = report.files.find((f) => f.path.endsWith("link-out.pkl"));
    assert.equal(link?.verdict, "unscannable");
    assert.equal(link?.findings[0]?.rule, "scan/symlink-skipped");
    assert.equal(link?.bytesRead, 0);
    assert.ok(!report.files.some((f) => f.path.includes("secret.pkl")));
  });

  it("does not scan a link inside the tree twice, and reports a broken link", async () => {
    const report = await scanPath([root]);
    assert.ok(!report.files.some((f) => f.path.endsWith("link-in.pt")));
    const broken = report.files.find((f) => f.path.endsWith("broken.pkl"));
    assert.equal(broken?.findings[0]?.rule, "scan/symlink-skipped");
  });

  it("never opens a FIFO (it would block) and reports it", async () => {
    const report = await scanPath([root]);
    const pipe = report.files.find((f) => f.path.endsWith("pipe"));
    assert.equal(pipe?.findings[0]?.rule, "scan/not-regular-file");
    assert.equal(report.summary.files, report.files.length);
  });

  it("follows a symbolic link named on the command line", async () => {
    const report = await scanPath([join(root, "link-out.pkl")]);
    assert.equal(report.files[0]?.verdict, "dangerous");
  });

  it("throws NOT_FOUND for a path that does not exist and USAGE for no paths", async () => {
    await assert.rejects(
      scanPath([join(root, "nope")]),
      (e: unknown) => e instanceof ScanError && e.code === "NOT_FOUND",
    );
    await assert.rejects(
      scanPath([]),
      (e: unknown) => e instanceof ScanError && e.code === "USAGE",
    );
  });

  it("reports progress once per file", async () => {
    const seen: number[] = [];
    const report = await scanPath([root], {}, (done) => seen.push(done));
    assert.equal(seen.length, report.files.length);
    assert.equal(Math.max(...seen), report.files.length);
  });
});

describe("scanFile()", () => {
  it("reports what it cannot read as unscannable instead of throwing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tg-dir-"));
    try {
      const result = await scanFile(dir);
      assert.equal(result.verdict, "unscannable");
      assert.equal(result.findings[0]?.rule, "scan/unscannable");
      const missing = await scanFile(join(dir, "missing.pt"));
      assert.equal(missing.verdict, "unscannable");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
