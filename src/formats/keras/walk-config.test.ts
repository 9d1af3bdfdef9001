import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type KerasObservation, parseKerasConfig, walkKerasConfig } from "./walk-config.js";

const walk = (config: unknown): readonly KerasObservation[] =>
  walkKerasConfig(parseKerasConfig(JSON.stringify(config))).observations;
/** What is not a plain reference (every `class_name` is one: the scanner judges those). */
const notable = (config: unknown) => walk(config).filter((o) => o.kind !== "reference");
const kinds = (config: unknown) => notable(config).map((o) => o.kind);

const dense = { class_name: "Dense", config: { name: "d", units: 2 } };
const lambda = {
  class_name: "Lambda",
  config: { function: ["4wEAAA==", null, null], function_type: "lambda" },
};

describe("walkKerasConfig()", () => {
  it("reports only the class names of plain Keras 2 layers", () => {
    const found = walk({ class_name: "Sequential", config: { layers: [dense] } });
    assert.deepEqual(
      found.map((o) => (o.kind === "reference" ? `${o.field}=${o.value}` : o.kind)),
      ["class_name=Sequential", "class_name=Dense"],
    );
  });

  it("finds a Lambda once, not again for its own function", () => {
    const found = notable({ class_name: "Sequential", config: { layers: [dense, lambda] } });
    assert.deepEqual(
      found.map((o) => [o.kind, o.path]),
      [["lambda", "$.config.layers[1]"]],
    );
  });

  it("finds a Lambda inside wrappers, nested models and Functional layers", () => {
    const nested = {
      class_name: "Functional",
      config: {
        layers: [
          {
            class_name: "Bidirectional",
            config: { layer: { class_name: "TimeDistributed", config: { layer: lambda } } },
          },
        ],
      },
    };
    const found = notable({ class_name: "Sequential", config: { layers: [nested] } });
    assert.deepEqual(
      found.map((o) => o.path),
      ["$.config.layers[0].config.layers[0].config.layer.config.layer"],
    );
  });

  it("finds a serialized __lambda__ outside a Lambda layer (an activation)", () => {
    const found = notable({
      class_name: "Dense",
      config: { activation: { class_name: "__lambda__", config: {} } },
    });
    assert.deepEqual(
      found.map((o) => o.kind),
      ["lambda"],
    );
  });

  it("reports module, class_name and registered_name with the function name for functions", () => {
    const found = walk({
      module: "builtins",
      class_name: "function",
      config: "eval",
      registered_name: "function",
    });
    assert.deepEqual(found[0], {
      kind: "reference",
      path: "$",
      field: "module",
      value: "builtins",
      className: "eval",
    });
    assert.deepEqual(
      found.map((o) => (o.kind === "reference" ? o.field : o.kind)),
      ["module", "class_name", "registered_name"],
    );
  });

  it("reports *_module keys (Keras 2 Lambda output_shape_module)", () => {
    const found = walk({ output_shape_module: "mypkg" });
    assert.equal(found[0]?.kind === "reference" && found[0].field, "output_shape_module");
  });

  it("reports safe_mode false and enable_unsafe_deserialization anywhere", () => {
    assert.deepEqual(kinds({ a: { safe_mode: false } }), ["unsafe-flag"]);
    assert.deepEqual(kinds({ safe_mode: true }), []);
    assert.deepEqual(kinds(["keras.config.enable_unsafe_deserialization"]), ["unsafe-flag"]);
    assert.deepEqual(kinds({ enable_unsafe_deserialization: true }), ["unsafe-flag"]);
  });
});
