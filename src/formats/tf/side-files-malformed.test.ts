/** Hostile and broken `keras_metadata.pb` and `fingerprint.pb` inputs, built in code. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { FormatError } from "../format-error.js";
import { MAX_FINGERPRINT_BYTES, readFingerprint } from "./read-fingerprint.js";
import { MAX_KERAS_METADATA_NODES, readKerasMetadata } from "./read-keras-metadata.js";
import { MAX_BAD_CONSUMERS } from "./read-version-def.js";
import {
  fingerprint,
  kerasMetadata,
  savedObject,
  versionDef,
} from "./test-support/side-file-writer.js";

const throwsCode = (parse: () => unknown, code: FormatError["code"], why: string) =>
  assert.throws(parse, (e: unknown) => e instanceof FormatError && e.code === code, why);

const build = (write: (w: BinaryWriter) => void) => {
  const w = new BinaryWriter();
  write(w);
  return w.finish();
};

describe("readKerasMetadata() on malformed input", () => {
  const good = kerasMetadata(
    savedObject({ nodePath: "root", identifier: "_tf_keras_model", metadata: '{"a":1}' }),
  );

  it("reports every truncation as a FormatError, never a crash", () => {
    for (let end = 1; end < good.length; end += 1) {
      assert.throws(
        () => readKerasMetadata(good.subarray(0, end)),
        (e: unknown) => e instanceof FormatError,
        `cut at ${end}`,
      );
    }
  });

  it("rejects no nodes, unknown fields, repeated fields and wrong wire types", () => {
    throwsCode(() => readKerasMetadata(new Uint8Array(0)), "MALFORMED", "empty");
    throwsCode(
      () =>
        readKerasMetadata(build((w) => w.tag(2, WireType.LengthDelimited).bytes(savedObject({})))),
      "MALFORMED",
      "field 2 at the top",
    );
    throwsCode(
      () => readKerasMetadata(build((w) => w.tag(1, WireType.Varint).int32(1))),
      "MALFORMED",
      "nodes as a varint",
    );
    const twice = build((w) => {
      w.tag(3, WireType.LengthDelimited).string("root");
      w.tag(3, WireType.LengthDelimited).string("root.evil");
    });
    throwsCode(() => readKerasMetadata(kerasMetadata(twice)), "MALFORMED", "node_path twice");
    const unknown = build((w) => w.tag(9, WireType.Varint).int32(1));
    throwsCode(() => readKerasMetadata(kerasMetadata(unknown)), "MALFORMED", "field 9");
    const idAsString = build((w) => w.tag(2, WireType.LengthDelimited).string("1"));
    throwsCode(() => readKerasMetadata(kerasMetadata(idAsString)), "MALFORMED", "node_id LEN");
    const negative = build((w) => w.tag(2, WireType.Varint).int32(-1));
    throwsCode(() => readKerasMetadata(kerasMetadata(negative)), "MALFORMED", "node_id -1");
  });

  it("rejects a node count over its bound", () => {
    const many = new Uint8Array((MAX_KERAS_METADATA_NODES + 1) * 2);
    for (let i = 0; i < many.length; i += 2) many[i] = 0x0a;
    throwsCode(() => readKerasMetadata(many), "LIMIT_EXCEEDED", "too many nodes");
  });

  it("rejects a version with too many bad consumers", () => {
    const bad = Array.from({ length: MAX_BAD_CONSUMERS + 1 }, (_, i) => i);
    const object = build((w) => w.tag(6, WireType.LengthDelimited).bytes(versionDef(1, 1, bad)));
    throwsCode(() => readKerasMetadata(kerasMetadata(object)), "LIMIT_EXCEEDED", "bad consumers");
  });
});

describe("readFingerprint() on malformed input", () => {
  const good = fingerprint();

  it("reports every truncation as a FormatError or a shorter valid fingerprint", () => {
    for (let end = 1; end < good.length; end += 1) {
      try {
        readFingerprint(good.subarray(0, end));
      } catch (error) {
        assert.ok(error instanceof FormatError, `cut at ${end}`);
      }
    }
    // Cut inside the uuid: its length runs past the end.
    throwsCode(() => readFingerprint(good.subarray(0, good.length - 3)), "TRUNCATED", "uuid");
  });

  it("rejects a file over its size bound", () => {
    const big = new Uint8Array(MAX_FINGERPRINT_BYTES + 1);
    big.set(good);
    throwsCode(() => readFingerprint(big), "LIMIT_EXCEEDED", "oversized");
  });

  it("rejects unknown, repeated and mistyped fields, a bad uuid and a missing checksum", () => {
    const extra = (write: (w: BinaryWriter) => void) => {
      const w = new BinaryWriter();
      w.raw(good);
      write(w);
      return w.finish();
    };
    throwsCode(
      () => readFingerprint(extra((w) => w.tag(8, WireType.Varint).int32(1))),
      "MALFORMED",
      "field 8",
    );
    throwsCode(
      () => readFingerprint(extra((w) => w.tag(2, WireType.Varint).int32(1))),
      "MALFORMED",
      "field 2 twice",
    );
    throwsCode(
      () => readFingerprint(build((w) => w.tag(1, WireType.LengthDelimited).string("x"))),
      "MALFORMED",
      "checksum as LEN",
    );
    throwsCode(() => readFingerprint(fingerprint("not a uuid")), "MALFORMED", "uuid with spaces");
    throwsCode(() => readFingerprint(fingerprint("x".repeat(65))), "MALFORMED", "uuid too long");
    throwsCode(
      () => readFingerprint(build((w) => w.tag(2, WireType.Varint).uint64(1n))),
      "MALFORMED",
      "no checksum",
    );
  });
});
