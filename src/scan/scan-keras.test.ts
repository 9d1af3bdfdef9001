import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../formats/byte-source.js";
import { h5Bytes } from "../formats/hdf5/test-support/h5-writer.js";
import { isKerasZip, kerasZipFindings } from "./keras-findings.js";
import { isKerasH5, scanKerasH5 } from "./scan-keras.js";
import { testContext } from "./test-support/keras-tf-context.js";

const k3 = (module: string, className: string, config: unknown = {}) => ({
  module,
  class_name: className,
  config,
  registered_name: null,
});
const model = (...layers: unknown[]) =>
  k3("keras", "Sequential", { layers: [k3("keras.layers", "InputLayer"), ...layers] });

function zipConfig(config: unknown, allow: readonly string[] = []) {
  const ctx = testContext(allow);
  const text = typeof config === "string" ? config : JSON.stringify(config);
  kerasZipFindings(text, "model.keras!config.json", ctx);
  return { verdict: ctx.collector.verdict, findings: ctx.collector.findings };
}

async function scanH5(attributes: Record<string, string | number>, maxReadBytes?: number) {
  const bytes = await h5Bytes(attributes);
  const ctx = testContext([], maxReadBytes === undefined ? {} : { maxReadBytes });
  const head = bytes.subarray(0, 512);
  assert.equal(isKerasH5(head, bytes.length), true);
  const { format } = await scanKerasH5(new BufferSource(bytes), undefined, ctx);
  return {
    format,
    verdict: ctx.collector.verdict,
    rules: ctx.collector.findings.map((f) => f.rule),
  };
}

const sequential2 = (...layers: unknown[]) =>
  JSON.stringify({ class_name: "Sequential", config: { name: "s", layers } });
const dense2 = { class_name: "Dense", config: { name: "d", units: 2 } };

describe("scanKerasH5()", () => {
  it("calls a Keras 2 model with plain layers clean", async () => {
    const result = await scanH5({
      model_config: sequential2(dense2),
      keras_version: "2.15.0",
      backend: "tensorflow",
    });
    assert.deepEqual(result, { format: "keras-h5", verdict: "clean", rules: [] });
  });

  it("calls an HDF5 file without model_config (weights only) clean", async () => {
    const result = await scanH5({ keras_version: "2.15.0" });
    assert.deepEqual(result, { format: "hdf5", verdict: "clean", rules: [] });
  });

  it("reports a Lambda layer in model_config as dangerous", async () => {
    const lambda = {
      class_name: "Lambda",
      config: { function: ["4wEAAA==", null, null], function_type: "lambda" },
    };
    const result = await scanH5({ model_config: sequential2(dense2, lambda) });
    assert.equal(result.verdict, "dangerous");
    assert.deepEqual(result.rules, ["keras/lambda"]);
  });

  it("walks training_config too", async () => {
    const result = await scanH5({
      model_config: sequential2(dense2),
      training_config: JSON.stringify({ loss: { class_name: "mylosses.Focal", config: {} } }),
    });
    assert.deepEqual(result.rules, ["keras/unsafe-module"]);
    assert.equal(result.verdict, "suspicious");
  });

  it("reports a model_config that is not JSON as keras/malformed", async () => {
    const result = await scanH5({ model_config: "{not json" });
    assert.deepEqual(result.rules, ["keras/malformed"]);
    assert.equal(result.verdict, "unscannable");
  });

  it("reports a truncated file as keras/malformed", async () => {
    const bytes = await h5Bytes({ model_config: sequential2(dense2) });
    const ctx = testContext();
    await scanKerasH5(new BufferSource(bytes.subarray(0, bytes.length - 100)), "m.h5", ctx);
    assert.deepEqual(
      ctx.collector.findings.map((f) => [f.rule, f.location.member]),
      [["keras/malformed", "m.h5"]],
    );
  });

  it("reports a file over maxReadBytes as scan/limit-exceeded", async () => {
    const result = await scanH5({ model_config: "{}" }, 100);
    assert.deepEqual(result.rules, ["scan/limit-exceeded"]);
  });
});

describe("kerasZipFindings()", () => {
  it("calls a Keras 3 config with keras namespaces clean", () => {
    const dense = k3("keras.layers", "Dense", {
      units: 2,
      dtype: k3("keras", "DTypePolicy", { name: "float32" }),
      kernel_initializer: k3("keras.initializers", "GlorotUniform"),
      kernel_regularizer: k3("keras.src.regularizers.regularizers", "L2"),
    });
    assert.deepEqual(zipConfig(model(dense, k3("tf_keras.layers", "Dense"))), {
      verdict: "clean",
      findings: [],
    });
  });

  it("reports a module outside Keras as suspicious keras/unsafe-module", () => {
    const { verdict, findings } = zipConfig(model(k3("mypkg.layers", "MyLayer")));
    assert.equal(verdict, "suspicious");
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity]),
      [["keras/unsafe-module", "high"]],
    );
    assert.equal(findings[0]?.location.member, "model.keras!config.json");
  });

  it("lets --allow accept a custom module, never a dangerous one", () => {
    assert.equal(zipConfig(model(k3("mypkg.layers", "MyLayer")), ["mypkg.*"]).verdict, "clean");
    assert.equal(zipConfig(model(k3("os", "system")), ["os.*"]).verdict, "dangerous");
  });

  it("reports a known-dangerous module as dangerous (CVE-2025-1550)", () => {
    const { verdict, findings } = zipConfig(model(k3("os", "system")));
    assert.equal(verdict, "dangerous");
    assert.equal(findings[0]?.severity, "critical");
    assert.match(findings[0]?.message ?? "", /'os\.system'/);
  });

  it("reports a builtins function serialized by name as dangerous", () => {
    const fn = {
      module: "builtins",
      class_name: "function",
      config: "exec",
      registered_name: "function",
    };
    assert.equal(
      zipConfig(model(k3("keras.layers", "Dense", { activation: fn }))).verdict,
      "dangerous",
    );
  });

  it("reports keras.utils.get_file as dangerous even inside Keras (CVE-2025-8747)", () => {
    const fn = {
      module: "keras.utils",
      class_name: "function",
      config: "get_file",
      registered_name: "function",
    };
    const { verdict, findings } = zipConfig(model(k3("keras.layers", "Dense", { activation: fn })));
    assert.equal(verdict, "dangerous");
    assert.equal(findings[0]?.rule, "keras/unsafe-module");
  });

  it("reports Lambda layers and __lambda__ functions as keras/lambda", () => {
    const lambda = k3("keras.layers", "Lambda", {
      function: { class_name: "__lambda__", config: { code: "" } },
    });
    const { verdict, findings } = zipConfig(model(lambda));
    assert.equal(verdict, "dangerous");
    assert.deepEqual(
      findings.map((f) => f.rule),
      ["keras/lambda"],
    );
  });

  it("reports enable_unsafe_deserialization and safe_mode false as keras/safe-mode-off", () => {
    const call = k3("keras.config", "enable_unsafe_deserialization");
    assert.deepEqual(
      zipConfig(model(call)).findings.map((f) => f.rule),
      ["keras/safe-mode-off"],
    );
    const flag = zipConfig(model(k3("keras.layers", "Dense", { safe_mode: false })));
    assert.deepEqual(
      flag.findings.map((f) => f.rule),
      ["keras/safe-mode-off"],
    );
    assert.equal(flag.verdict, "dangerous");
  });

  it("reports Keras 2 registered and dotted class names outside Keras", () => {
    assert.equal(zipConfig({ class_name: "mypkg>MyLayer", config: {} }).verdict, "suspicious");
    assert.equal(zipConfig({ class_name: "keras>Dense", config: {} }).verdict, "clean");
    assert.equal(zipConfig({ class_name: "subprocess.Popen", config: {} }).verdict, "dangerous");
  });

  it("reports a config that is not JSON as keras/malformed", () => {
    const { verdict, findings } = zipConfig('{"class_name": "Sequential",');
    assert.equal(verdict, "unscannable");
    assert.equal(findings[0]?.rule, "keras/malformed");
  });
});

describe("isKerasZip()", () => {
  it("needs config.json and metadata.json at the root", () => {
    assert.equal(isKerasZip(["metadata.json", "config.json", "model.weights.h5"]), true);
    assert.equal(isKerasZip(["archive/data.pkl", "config.json"]), false);
  });
});

describe("scanKerasH5() on a source that names its file", () => {
  it("opens the file itself instead of copying it", async () => {
    const { mkdtemp, rm, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "trainguard-keras-"));
    try {
      const path = join(dir, "m.h5");
      await writeFile(path, await h5Bytes({ model_config: sequential2(dense2) }));
      // maxReadBytes far below the file size: a copy would be refused, a direct open is not.
      const ctx = testContext([], { maxReadBytes: 4096 });
      const source = { size: 1 << 20, bytesRead: 0, path, read: async () => new Uint8Array() };
      const { format } = await scanKerasH5(source, undefined, ctx);
      assert.equal(format, "keras-h5");
      assert.equal(ctx.collector.verdict, "clean");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
