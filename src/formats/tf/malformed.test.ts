/** Hostile and broken `saved_model.pb` inputs, built in code: each is a FormatError with a code. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { FormatError } from "../format-error.js";
import { MAX_META_GRAPHS, readSavedModel } from "./read-saved-model.js";
import { savedModelBytes, tf2Model } from "./test-support/saved-model-writer.js";

function assertCode(bytes: Uint8Array, code: FormatError["code"]): void {
  assert.throws(
    () => readSavedModel(bytes),
    (error: unknown) => error instanceof FormatError && error.code === code,
  );
}

describe("readSavedModel() on malformed input", () => {
  const good = savedModelBytes(tf2Model());

  it("reports every truncation as TRUNCATED or MALFORMED, never a crash", () => {
    for (let end = 1; end < good.length; end += 7) {
      assert.throws(
        () => readSavedModel(good.subarray(0, end)),
        (error: unknown) => error instanceof FormatError,
        `cut at ${end}`,
      );
    }
  });

  it("rejects a top-level field SavedModel does not have", () => {
    assertCode(new Uint8Array([0x08, 0x01, 0x1a, 0x00]), "MALFORMED");
  });

  it("rejects a meta graph with a varint wire type", () => {
    assertCode(new Uint8Array([0x10, 0x01]), "MALFORMED");
  });

  it("rejects a model with no meta graph", () => {
    assertCode(new Uint8Array([0x08, 0x01]), "MALFORMED");
  });

  it("rejects a length past the end", () => {
    assertCode(new Uint8Array([0x12, 0x7f, 0x0a]), "TRUNCATED");
  });

  it("rejects field number zero", () => {
    assertCode(new Uint8Array([0x12, 0x02, 0x02, 0x00]), "MALFORMED");
  });

  it("bounds the number of meta graphs", () => {
    const many = Array.from({ length: MAX_META_GRAPHS + 1 }, () => ({}));
    assertCode(savedModelBytes(...many), "LIMIT_EXCEEDED");
  });

  it("bounds func attributes nested in each other", () => {
    const len = (field: number, body: Uint8Array) => {
      const w = new BinaryWriter();
      w.tag(field, WireType.LengthDelimited).bytes(body);
      return w.finish();
    };
    const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
    const name = new TextEncoder().encode("f");
    let list = len(1, name); // NameAttrList.name
    for (let i = 0; i < 40; i++) {
      const value = len(10, list); // AttrValue.func
      const entry = concat(len(1, name), len(2, value)); // map entry {key, value}
      list = concat(len(1, name), len(2, entry)); // NameAttrList{name, attr}
    }
    const attr = concat(len(1, name), len(2, len(10, list)));
    const node = concat(len(1, name), len(2, new TextEncoder().encode("Op")), len(5, attr));
    const graph = len(1, node);
    assertCode(len(2, len(2, graph)), "LIMIT_EXCEEDED");
  });
});
