/**
 * Every committed fixture (real PyTorch, numpy and joblib files, and a malicious file per
 * technique, each proven by the generator to run its payload) gets the verdict the manifest
 * expects. Regenerate with `/usr/bin/python3 scripts/fixtures/generate.py`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { scanFile } from "./scan-file.js";
import type { Verdict } from "./types.js";

const ROOT = fileURLToPath(new URL("../../fixtures/", import.meta.url));

interface Entry {
  readonly path: string;
  readonly expect: Verdict;
  readonly technique: number | null;
  readonly description: string;
}

const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")) as Entry[];

describe("scanFile() on the fixture corpus", () => {
  for (const entry of manifest) {
    const label = `${entry.path} is ${entry.expect}${entry.technique ? ` (technique ${entry.technique})` : ""}`;
    it(label, async () => {
      const result = await scanFile(join(ROOT, entry.path));
      assert.equal(
        result.verdict,
        entry.expect,
        `${entry.description}\n${JSON.stringify(result.findings, null, 1).slice(0, 2000)}`,
      );
    });
  }
});
