import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pae, paeCompat, pythonBytesRepr } from "./pae.js";

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("pae", () => {
  it("pae() frames the type and body with their byte lengths (DSSE protocol.md example)", () => {
    const body = new TextEncoder().encode("hello world");
    assert.equal(
      text(pae("http://example.com/HelloWorld", body)),
      "DSSEv1 29 http://example.com/HelloWorld 11 hello world",
    );
  });

  it("pae() counts bytes, not characters, of a non-ASCII body", () => {
    const body = new TextEncoder().encode("é");
    assert.equal(text(pae("t", body)).slice(0, 11), "DSSEv1 1 t ");
    assert.equal(pae("t", body).length, "DSSEv1 1 t 2 ".length + 2);
  });

  it("paeCompat() reproduces model_signing v0.2's Python bytes repr", () => {
    const body = new TextEncoder().encode('{\n  "a": "\\\\"\n}');
    assert.equal(
      text(paeCompat("t", body)),
      `DSSEV1 1 t ${body.length} b'{\\n  "a": "\\\\\\\\"\\n}'`,
    );
  });

  it("pythonBytesRepr() switches to double quotes and escapes control and high bytes", () => {
    assert.equal(
      pythonBytesRepr(Uint8Array.from([0x27, 0x00, 0xff, 0x09, 0x0d])),
      `b"'\\x00\\xff\\t\\r"`,
    );
    assert.equal(pythonBytesRepr(Uint8Array.from([0x27, 0x22])), `b'\\'"'`);
  });
});
