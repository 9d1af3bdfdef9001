import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { hasPython, runPython, SYSTEM_PYTHON } from "../formats/pyc/test-support/python.js";
import { checkBytecode, sourceFor } from "./bytecode-check.js";

/** The standard library of the system interpreter: a few hundred real modules to compile. */
const STDLIB = "/usr/lib/python3.11";
const RECOMPILED_SAMPLE = 25;

const root = mkdtempSync(join(tmpdir(), "trainguard-stdlib-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("checkBytecode on the compiled standard library", () => {
  it("finds nothing wrong with untouched caches of every top-level stdlib module", async (t) => {
    if (!hasPython(SYSTEM_PYTHON)) {
      t.skip(`${SYSTEM_PYTHON} is not installed`);
      return;
    }
    let names: string[];
    try {
      names = readdirSync(STDLIB).filter((name) => name.endsWith(".py"));
    } catch {
      t.skip(`${STDLIB} is not readable`);
      return;
    }
    for (const name of names) copyFileSync(join(STDLIB, name), join(root, name));
    // -f: compile even where a cache exists; timestamp caches in __pycache__, as pip writes them.
    runPython(
      SYSTEM_PYTHON,
      "import compileall, sys; compileall.compile_dir(sys.argv[1], quiet=2, force=True)",
      root,
    );
    const caches = readdirSync(join(root, "__pycache__")).map((name) =>
      join(root, "__pycache__", name),
    );
    assert.ok(caches.length > 100, `only ${caches.length} caches compiled`);
    const findings: string[] = [];
    for (const [index, pyc] of caches.entries()) {
      const options = index < RECOMPILED_SAMPLE ? { python: SYSTEM_PYTHON } : {};
      const finding = await checkBytecode(pyc, sourceFor(pyc), options);
      if (finding !== undefined) findings.push(`${finding.kind}: ${finding.detail}`);
    }
    assert.deepEqual(findings, []);
  });
});
