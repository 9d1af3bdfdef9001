import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { graph, model, node, tensor } from "../formats/onnx/test-support/onnx-writer.js";
import { P4, pk, S, SG, STOP, T1R } from "../formats/pickle/test-support/build-pickle.js";
import { savedModelBytes, tf2Model } from "../formats/tf/test-support/saved-model-writer.js";
import { scanFile } from "./scan-file.js";
import { scanPath } from "./scan-path.js";
import type { FileResult } from "./types.js";

/** Bytes in no format: every byte value, so neither text nor any magic number. */
const BLOB = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
const EVIL = pk(P4, S("os"), S("system"), SG, S("id"), T1R, STOP);
const onnxWith = (...locations: string[]) =>
  model(
    graph(
      [node("Relu")],
      locations.map((location, i) => tensor(`w${i}`, location)),
    ),
  );

describe("scanPath() and the tensor data that models name", () => {
  let root: string;
  let byName: Map<string, FileResult>;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), "tg-model-data-"));
    const write = (path: string, bytes: Uint8Array) => {
      mkdirSync(join(root, path, ".."), { recursive: true });
      writeFileSync(join(root, path), bytes);
    };
    write("onnx/model.onnx", onnxWith("weights.bin", "data/w.bin", "evil.bin"));
    write("onnx/weights.bin", BLOB);
    write("onnx/data/w.bin", BLOB);
    write("onnx/evil.bin", EVIL);
    write("onnx/unreferenced.bin", BLOB);
    write("sm/saved_model.pb", savedModelBytes(tf2Model()));
    write("sm/variables/variables.index", BLOB);
    write("sm/variables/variables.data-00000-of-00002", BLOB);
    write("sm/variables/variables.data-00001-of-00002", BLOB);
    write("sm/variables/notes.bin", BLOB);
    write("sm/extra/variables/variables.index", BLOB);
    write("orphan/variables/variables.index", BLOB);
    write("broken/saved_model.pb", savedModelBytes(tf2Model()).subarray(0, 40));
    write("broken/variables/variables.index", BLOB);
    const report = await scanPath([root]);
    byName = new Map(report.files.map((f) => [f.path.slice(root.length + 1), f]));
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const get = (path: string) => {
    const result = byName.get(join(...path.split("/")));
    assert.ok(result, `${path} was not scanned`);
    return result;
  };

  it("reports ONNX external data inside the model's folder clean, as data of that model", () => {
    for (const path of ["onnx/weights.bin", "onnx/data/w.bin"]) {
      const result = get(path);
      assert.equal(result.verdict, "clean", path);
      assert.equal(result.format, "onnx-external-data", path);
      assert.deepEqual(
        result.findings.map((f) => f.rule),
        ["format/model-data"],
      );
      assert.match(result.findings[0]?.message ?? "", /model\.onnx/);
    }
  });

  it("keeps the findings of a named data file that is really a pickle", () => {
    assert.equal(get("onnx/evil.bin").verdict, "dangerous");
    assert.equal(get("onnx/evil.bin").format, "pickle");
  });

  it("keeps format/unknown for files no model names", () => {
    for (const path of [
      "onnx/unreferenced.bin",
      "sm/variables/notes.bin",
      "sm/extra/variables/variables.index",
      "orphan/variables/variables.index",
      "broken/variables/variables.index",
    ]) {
      const result = get(path);
      assert.equal(result.verdict, "unscannable", path);
      assert.deepEqual(
        result.findings.map((f) => f.rule),
        ["format/unknown"],
        path,
      );
    }
  });

  it("reports a SavedModel's variables index and shards clean, as its tensor bundle", () => {
    for (const path of [
      "sm/variables/variables.index",
      "sm/variables/variables.data-00000-of-00002",
      "sm/variables/variables.data-00001-of-00002",
    ]) {
      const result = get(path);
      assert.equal(result.verdict, "clean", path);
      assert.equal(result.format, "tf-variables", path);
      assert.match(result.findings[0]?.message ?? "", /sm.saved_model\.pb/);
    }
  });

  it("finds the model when the data file and the model are given as separate paths", async () => {
    const report = await scanPath([
      join(root, "onnx", "weights.bin"),
      join(root, "onnx", "model.onnx"),
    ]);
    assert.equal(report.files[0]?.verdict, "clean");
  });

  it("leaves a data file scanned on its own format/unknown", async () => {
    const alone = await scanFile(join(root, "onnx", "weights.bin"));
    assert.equal(alone.verdict, "unscannable");
    assert.equal(alone.findings[0]?.rule, "format/unknown");
  });
});
