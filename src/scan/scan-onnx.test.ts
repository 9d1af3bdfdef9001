import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BufferSource } from "../formats/byte-source.js";
import {
  fn,
  graph,
  graphAttr,
  model,
  node,
  opset,
  tensor,
} from "../formats/onnx/test-support/onnx-writer.js";
import { isOnnx, scanOnnx } from "./scan-onnx.js";
import { formatContext, runScanner } from "./test-support/model-format-context.js";

const withExternal = (location: string) => model(graph([node("Relu")], [tensor("w", location)]));

describe("scanOnnx()", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "tg-onnx-"));
    await mkdir(join(dir, "model"));
    await mkdir(join(dir, "model", "data"));
    await writeFile(join(dir, "model", "weights.bin"), new Uint8Array(16));
    await writeFile(join(dir, "model", "data", "w.bin"), new Uint8Array(16));
    await writeFile(join(dir, "secret"), "x");
    await symlink(join(dir, "secret"), join(dir, "model", "link.bin"));
    await symlink(join(dir, "model", "weights.bin"), join(dir, "model", "alias.bin"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const scanAt = async (bytes: Uint8Array) => {
    const ctx = formatContext();
    const format = await scanOnnx(
      new BufferSource(bytes),
      undefined,
      ctx,
      join(dir, "model", "m.onnx"),
    );
    return { format: format.format, rules: ctx.collector.findings.map((f) => f.rule), ctx };
  };

  it("calls a standard model clean, with external data inside its folder", async () => {
    const plain = await runScanner(scanOnnx, model(graph([node("Relu")], [tensor("w")])));
    assert.equal(plain.format, "onnx");
    assert.deepEqual(plain.findings, []);
    for (const location of ["weights.bin", "data/w.bin", "./data/w.bin"]) {
      const result = await scanAt(withExternal(location));
      assert.deepEqual(result.rules, [], location);
      assert.equal(result.ctx.collector.verdict, "clean");
    }
  });

  it("reports absolute, '..' and symlinked locations as onnx/external-data-path", async () => {
    for (const location of [
      "/etc/passwd",
      "../secret",
      "data/../../secret",
      "C:\\Windows\\x",
      "link.bin",
      "alias.bin",
    ]) {
      const result = await scanAt(withExternal(location));
      assert.deepEqual(result.rules, ["onnx/external-data-path"], location);
      assert.equal(result.ctx.collector.verdict, "dangerous", location);
    }
  });

  it("checks locations by text alone inside archives or without a path", async () => {
    const inside = await runScanner(scanOnnx, withExternal("../../etc/passwd"));
    assert.deepEqual(inside.rules, ["onnx/external-data-path"]);
    const subgraph = model(
      graph([
        node("If", "", [graphAttr("then_branch", graph([node("Relu")], [tensor("d", "/x")]))]),
      ]),
    );
    assert.deepEqual((await runScanner(scanOnnx, subgraph)).rules, ["onnx/external-data-path"]);
    assert.deepEqual((await runScanner(scanOnnx, withExternal("missing.bin"))).rules, []);
  });

  it("mentions a missing external file without calling it dangerous", async () => {
    const result = await scanAt(withExternal("missing.bin"));
    assert.deepEqual(result.rules, ["onnx/malformed"]);
    assert.equal(result.ctx.collector.verdict, "clean");
  });

  it("reports custom operator domains but not model-local functions", async () => {
    const custom = await runScanner(
      scanOnnx,
      model(graph([node("Evil", "com.attacker")]), [opset("", 17), opset("com.attacker", 1)]),
    );
    assert.deepEqual(custom.rules, ["onnx/custom-domain"]);
    assert.equal(custom.verdict, "suspicious");
    const local = await runScanner(
      scanOnnx,
      model(
        graph([node("Mine", "local"), node("Relu", "ai.onnx")]),
        [opset("", 17), opset("local", 1)],
        [fn("Mine", "local", [node("Add")])],
      ),
    );
    assert.deepEqual(local.rules, []);
    const declared = await runScanner(
      scanOnnx,
      model(graph([node("Relu")]), [opset("", 17), opset("com.vendor", 1)]),
    );
    assert.deepEqual(declared.rules, ["onnx/custom-domain"]);
  });

  it("reports unreadable models as onnx/malformed", async () => {
    const bytes = model(graph([node("Relu")]));
    const result = await runScanner(scanOnnx, bytes.subarray(0, bytes.length - 8));
    assert.deepEqual(result.rules, ["onnx/malformed"]);
    assert.equal(result.verdict, "unscannable");
  });

  it("recognises models by content", () => {
    const bytes = withExternal("w.bin");
    assert.equal(isOnnx(bytes, bytes.length), true);
    assert.equal(isOnnx(new TextEncoder().encode("\bhello"), 6), false);
  });
});
