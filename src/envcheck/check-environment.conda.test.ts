/** checkEnvironment() on a hand-built conda prefix with conda-meta records. */
import assert from "node:assert/strict";
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { checkEnvironment } from "./check-environment.js";
import { buildCondaPrefix, PLACEHOLDER } from "./test-support/conda-prefix.js";
import type { EnvReport } from "./types.js";

const SITE = "lib/python3.11/site-packages";

function find(report: EnvReport, kind: string, path: string) {
  return report.findings.find((finding) => finding.kind === kind && finding.path === path);
}

describe("checkEnvironment() on a conda prefix", () => {
  let work = "";
  let prefix = "";

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "tg-envcheck-conda-"));
    prefix = join(work, "env");
    await buildCondaPrefix(prefix, "python", "3.11.7", [
      { path: "lib/python3.11/os.py", text: "# os\n" },
      {
        path: "bin/python3.11",
        placeholderBinary: `\x7fELF\0${PLACEHOLDER}/lib\0tail\0`,
        mode: "binary",
      },
      { path: "bin/python3", linkTo: "python3.11" },
    ]);
    await buildCondaPrefix(prefix, "condapkg", "1.0", [
      { path: `${SITE}/condapkg/__init__.py`, text: "VALUE = 1\n" },
      { path: `${SITE}/condapkg/core.py`, text: "def f():\n    return 1\n", inPrefixHash: true },
      {
        path: "bin/condapkg-run",
        placeholderText: `#!${PLACEHOLDER}/bin/python3.11\nimport condapkg\n`,
        mode: "text",
      },
    ]);
  });

  after(async () => {
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  it("verifies the prefix, undoing conda's text and binary prefix rewrites", async () => {
    const report = await checkEnvironment(prefix);
    assert.equal(report.layout, "conda");
    assert.deepEqual(report.recordKinds, ["conda-meta"]);
    assert.deepEqual(report.packageNames, ["condapkg", "python"]);
    assert.equal(report.summary.failing, 0, JSON.stringify(report.findings, null, 1));
  });

  it("reports modified files, a tampered prefix-rewritten script and unlisted modules", async () => {
    await appendFile(join(prefix, SITE, "condapkg/core.py"), "import os\n");
    await appendFile(join(prefix, "bin/condapkg-run"), "import os\n");
    await writeFile(join(prefix, SITE, "condapkg/extra.py"), "");
    await writeFile(join(prefix, "lib/python3.11/sitecustomize.py"), "import os\n");
    const report = await checkEnvironment(prefix);
    assert.equal(find(report, "modified", `${SITE}/condapkg/core.py`)?.package, "condapkg");
    const script = find(report, "modified", "bin/condapkg-run");
    assert.match(script?.detail ?? "", /prefix rewrite/);
    assert.equal(find(report, "unexpected", `${SITE}/condapkg/extra.py`)?.package, "condapkg");
    assert.ok(find(report, "startup-hook", "lib/python3.11/sitecustomize.py"));
  });
});
