import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readPickleStreams } from "./streams.js";
import { P4, pk, S, STOP } from "./test-support/build-pickle.js";

const errorOf = (bytes: Uint8Array, limits = {}) =>
  readPickleStreams(bytes, 0, { maxStreams: 1, limits })[0]?.error?.code;

describe("PickleMachine on malformed input", () => {
  it("reports TRUNCATED for a stream without STOP", () => {
    assert.equal(errorOf(pk(P4, S("abc"))), "TRUNCATED");
  });
  it("reports TRUNCATED for a length past the end", () => {
    assert.equal(errorOf(pk(P4, "X", [0xff, 0xff, 0xff, 0x7f], "ab")), "TRUNCATED");
  });
  it("reports MALFORMED for a byte that is not an opcode", () => {
    assert.equal(errorOf(pk(P4, [0xff], STOP)), "MALFORMED");
  });
  it("reports MALFORMED for stack underflow", () => {
    assert.equal(errorOf(pk(P4, "R", STOP)), "MALFORMED");
  });
  it("reports MALFORMED for a read of an empty memo slot (technique 13)", () => {
    assert.equal(errorOf(pk(P4, "h", [0x05], STOP)), "MALFORMED");
  });
  it("reports MALFORMED for an unknown protocol", () => {
    assert.equal(errorOf(pk([0x80, 0x09], "N", STOP)), "MALFORMED");
  });
  it("reports MALFORMED for an unquoted STRING and a bad INT", () => {
    assert.equal(errorOf(pk("Sabc\n.")), "MALFORMED");
    assert.equal(errorOf(pk("I12x\n.")), "MALFORMED");
  });
  it("reports MALFORMED for STACK_GLOBAL on non-strings", () => {
    assert.equal(errorOf(pk(P4, "K", [1], "K", [2], [0x93], STOP)), "MALFORMED");
  });
  it("reports LIMIT_EXCEEDED past the opcode limit", () => {
    const many = pk(P4, ...new Array(1000).fill("N"), STOP);
    assert.equal(errorOf(many, { maxOpcodes: 100 }), "LIMIT_EXCEEDED");
  });
  it("reports LIMIT_EXCEEDED for a MARK bomb instead of exhausting memory", () => {
    const bomb = new Uint8Array(200_003).fill(0x28);
    bomb.set([0x80, 0x04], 0);
    bomb[bomb.length - 1] = 0x2e;
    assert.equal(errorOf(bomb), "LIMIT_EXCEEDED");
  });
  it("reports LIMIT_EXCEEDED for a text line with no end in sight", () => {
    const long = pk("S'", "a".repeat(2 * 1024 * 1024));
    assert.ok(["LIMIT_EXCEEDED", "TRUNCATED"].includes(errorOf(long) ?? ""));
  });
  it("reports MALFORMED for invalid UTF-8 in BINUNICODE", () => {
    assert.equal(errorOf(pk(P4, [0x8c, 2, 0xc3, 0x28], STOP)), "MALFORMED");
  });
  it("reports MALFORMED for an odd SETITEMS", () => {
    assert.equal(errorOf(pk(P4, "}", "(", "K", [1], "u", STOP)), "MALFORMED");
  });
});
