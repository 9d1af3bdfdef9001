/**
 * The safetensors, GGUF, ONNX and Hugging Face fixtures (`fixtures/formats/manifest.json`,
 * written by `scripts/fixtures/generate_formats.py`) get the verdict the manifest expects, each
 * file sniffed by content and sent to its scanner as `scan-source.ts` will once these are wired.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { FileSource } from "../formats/byte-source.js";
import { remoteCodeFindings } from "./hf-remote-code.js";
import { isGguf, scanGguf } from "./scan-gguf.js";
import { isOnnx, scanOnnx } from "./scan-onnx.js";
import { isSafetensors, scanSafetensors } from "./scan-safetensors.js";
import { formatContext } from "./test-support/model-format-context.js";
import type { Verdict } from "./types.js";
import { worseVerdict } from "./types.js";

const ROOT = fileURLToPath(new URL("../../fixtures/formats/", import.meta.url));

interface Entry {
  readonly path: string;
  readonly expect: Verdict;
  readonly description: string;
}

const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")) as Entry[];

async function scanFixture(path: string): Promise<{ verdict: Verdict; rules: string[] }> {
  const source = await FileSource.open(path);
  try {
    const ctx = formatContext();
    const head = await source.read(0, Math.min(512, source.size));
    if (isSafetensors(head, source.size)) await scanSafetensors(source, undefined, ctx);
    else if (isGguf(head, source.size)) await scanGguf(source, undefined, ctx);
    else if (isOnnx(head, source.size)) await scanOnnx(source, undefined, ctx, path);
    let verdict = ctx.collector.verdict;
    const rules = ctx.collector.findings.map((f) => f.rule);
    const siblings = manifest.filter((e) => dirname(join(ROOT, e.path)) === dirname(path));
    const extra = await remoteCodeFindings(siblings.map((e) => join(ROOT, e.path)));
    for (const found of extra.get(path) ?? []) {
      verdict = worseVerdict(verdict, found.verdict);
      rules.push(found.rule);
    }
    return { verdict, rules };
  } finally {
    await source.close();
  }
}

describe("model format fixtures", () => {
  for (const entry of manifest) {
    it(`${entry.path} is ${entry.expect}`, async () => {
      const result = await scanFixture(join(ROOT, entry.path));
      assert.equal(
        result.verdict,
        entry.expect,
        `${entry.description}: ${result.rules.join(", ")}`,
      );
    });
  }
});
