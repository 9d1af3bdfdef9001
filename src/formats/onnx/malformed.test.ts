import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { readOnnxModel } from "./onnx-model.js";
import {
  graph,
  graphAttr,
  intField,
  lenField,
  model,
  node,
  opset,
  varint,
} from "./test-support/onnx-writer.js";

const isCode = (code: string) => (error: unknown) =>
  error instanceof FormatError && error.code === code;
const read = (bytes: Uint8Array | number[]) =>
  readOnnxModel(new BufferSource(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes)));
const valid = () => model(graph([node("Relu")]));

describe("readOnnxModel on malformed input", () => {
  it("rejects a model cut anywhere inside as TRUNCATED or MALFORMED", async () => {
    const bytes = valid();
    // Past the graph, a cut on a field boundary leaves a valid (shorter) model.
    const graphEnd = bytes.length - lenField(8, opset("", 17)).length;
    for (let cut = 1; cut < graphEnd; cut += 1) {
      await assert.rejects(
        read(bytes.subarray(0, cut)),
        (e: unknown) => e instanceof FormatError,
        `cut ${cut}`,
      );
    }
  });

  it("rejects a length past the enclosing message as TRUNCATED", async () => {
    await assert.rejects(
      read([...intField(1, 8), ...varint((7 << 3) | 2), ...varint(1000), 0]),
      isCode("TRUNCATED"),
    );
  });

  it("rejects field number 0, group wire types and wrong wire types as MALFORMED", async () => {
    await assert.rejects(read([...intField(1, 8), 0x02, 0x00]), isCode("MALFORMED"));
    await assert.rejects(read([...intField(1, 8), ...varint((9 << 3) | 3)]), isCode("MALFORMED"));
    await assert.rejects(read([...intField(1, 8), ...intField(7, 1)]), isCode("MALFORMED"));
  });

  it("rejects varints longer than ten bytes as MALFORMED", async () => {
    await assert.rejects(read([0x08, ...new Array(11).fill(0xff), 0x01]), isCode("MALFORMED"));
  });

  it("rejects a model without ir_version or without a graph as MALFORMED", async () => {
    await assert.rejects(read(lenField(7, graph([node("Relu")]))), isCode("MALFORMED"));
    await assert.rejects(read(intField(1, 8)), isCode("MALFORMED"));
  });

  it("rejects an op_type that is not UTF-8 as MALFORMED", async () => {
    const bad = [...lenField(1, [0xff, 0xfe]), ...lenField(4, [0xc3, 0x28])];
    await assert.rejects(read(model(graph([bad]))), isCode("MALFORMED"));
  });

  it("rejects subgraphs nested past the depth bound as LIMIT_EXCEEDED", async () => {
    let g = graph([node("Relu")]);
    for (let i = 0; i < 40; i += 1) g = graph([node("If", "", [graphAttr("then_branch", g)])]);
    await assert.rejects(read(model(g)), isCode("LIMIT_EXCEEDED"));
  });
});
