/**
 * The other-format fixtures (safetensors, GGUF, ONNX, Keras, TensorFlow, Hugging Face folders)
 * through the real entry point: one `scanPath` over the folder, so dispatch by content and the
 * folder-level remote-code check both run. Regenerate with scripts/fixtures/generate_formats.py
 * and generate_keras_tf.py.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { scanPath } from "./scan-path.js";
import type { Verdict } from "./types.js";

const ROOT = fileURLToPath(new URL("../../fixtures/formats/", import.meta.url));

interface Entry {
  readonly path: string;
  readonly expect: Verdict;
  readonly description: string;
}

const entries = ["manifest.json", "keras-tf-manifest.json"].flatMap(
  (name) => JSON.parse(readFileSync(join(ROOT, name), "utf8")) as Entry[],
);
const report = await scanPath([ROOT]);
const byPath = new Map(report.files.map((file) => [file.path, file]));

describe("scanPath() on the other-format fixtures", () => {
  for (const entry of entries) {
    it(`${entry.path} is ${entry.expect}`, () => {
      const result = byPath.get(join(ROOT, entry.path));
      assert.ok(result, `${entry.path} was not scanned`);
      assert.equal(
        result.verdict,
        entry.expect,
        `${entry.description}\n${JSON.stringify(result.findings)}`,
      );
    });
  }
});
