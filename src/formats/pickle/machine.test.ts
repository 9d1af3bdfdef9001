import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readPickleStreams } from "./streams.js";
import { enc, P2, P4, pk, S, SG, STOP, T1R } from "./test-support/build-pickle.js";
import { globalName } from "./values.js";

const run = (bytes: Uint8Array, options = {}) => {
  const [stream] = readPickleStreams(bytes, 0, { maxStreams: 1, ...options });
  assert.ok(stream);
  return stream;
};
const names = (bytes: Uint8Array) => run(bytes).imports.map((i) => `${i.module}.${i.name}`);

describe("PickleMachine", () => {
  it("records os.system called through STACK_GLOBAL with its literal argument", () => {
    const s = run(pk(P4, S("os"), S("system"), SG, S("echo pwned"), T1R, STOP));
    assert.equal(s.error, undefined);
    assert.deepEqual(
      s.imports.map((i) => [i.module, i.name, i.opcode]),
      [["os", "system", "STACK_GLOBAL"]],
    );
    const [call] = s.calls;
    assert.equal(call?.opcode, "REDUCE");
    assert.equal(globalName(call?.callee ?? { kind: "none" }), "os.system");
    assert.deepEqual(call?.args, { kind: "tuple", items: [{ kind: "str", value: "echo pwned" }] });
  });

  it("resolves STACK_GLOBAL names built from the memo, even after DUP and POP (technique 14)", () => {
    // P4 + S('os') + '2\x94' + '00h\x00' + S('system') + SG: the memo holds 'os', not the DUP.
    const s = run(
      pk(P4, S("os"), "2", [0x94], "00", "h", [0x00], S("system"), SG, S("id"), T1R, STOP),
    );
    assert.equal(s.error, undefined);
    assert.deepEqual(
      names(pk(P4, S("os"), "2", [0x94], "00", "h", [0x00], S("system"), SG, S("id"), T1R, STOP)),
      ["os.system"],
    );
  });

  it("gives each stream a fresh memo (technique 15)", () => {
    const first = pk(P4, S("collections"), [0x94], S("OrderedDict"), [0x94], SG, ")", "R", STOP);
    const second = pk(P4, "h", [0x00], "h", [0x01], SG, STOP);
    const streams = readPickleStreams(pk([...first], [...second]));
    assert.equal(streams.length, 2);
    assert.equal(streams[1]?.error?.code, "MALFORMED");
  });

  it("maps Python 2 names for protocols below 3, as fix_imports does", () => {
    assert.deepEqual(names(pk("c__builtin__\neval\n(S'1'\ntR.")), ["builtins.eval"]);
    assert.deepEqual(names(pk(P4, "c__builtin__\neval\n", S("1"), T1R, STOP)), [
      "__builtin__.eval",
    ]);
  });

  it("reads protocol 0 STRING operands for STACK_GLOBAL at offset 0 (technique 16)", () => {
    assert.deepEqual(names(pk("S'os'\nS'system'\n", SG, "S'id'\n", T1R, STOP)), ["os.system"]);
  });

  it("marks a STACK_GLOBAL name computed by a call as non-literal", () => {
    const bytes = pk(P4, S("builtins"), S("str"), SG, S("o"), T1R, S("system"), SG, ")", "R", STOP);
    const s = run(bytes);
    assert.equal(s.imports[1]?.module, null);
    assert.equal(s.imports[1]?.name, "system");
  });

  it("resolves EXT1 through a copyreg.add_extension call in the same pickle (technique 17)", () => {
    const bytes = pk(
      P2,
      "ccopyreg\nadd_extension\n",
      S("os"),
      S("system"),
      "K",
      [0x7e],
      [0x87],
      "R0",
      [0x82, 0x7e],
      S("id"),
      T1R,
      STOP,
    );
    const s = run(bytes);
    assert.equal(s.error, undefined);
    assert.deepEqual(
      s.imports.map((i) => [i.module, i.name, i.opcode]),
      [
        ["copyreg", "add_extension", "GLOBAL"],
        ["os", "system", "EXT1"],
      ],
    );
    assert.ok(s.anomalies.some((a) => a.code === "extension-code"));
  });

  it("records INST and OBJ calls with their class and arguments", () => {
    const inst = run(pk("(S'id'\nios\nsystem\n."));
    assert.equal(inst.calls[0]?.opcode, "INST");
    assert.deepEqual(
      inst.imports.map((i) => `${i.module}.${i.name}`),
      ["os.system"],
    );
    const obj = run(pk(P2, "(cos\nsystem\nS'id'\no."));
    assert.equal(obj.calls[0]?.opcode, "OBJ");
  });

  it("reports a call whose result is thrown away by POP (technique 11)", () => {
    const s = run(pk(P2, "(cos\nsystem\nS'id'\no0N."));
    assert.ok(s.anomalies.some((a) => a.code === "discarded-call"));
  });

  it("reports a memo slot written twice (technique 12)", () => {
    const s = run(pk(P2, S("a"), "q", [0x01], S("b"), "q", [0x01], "0", STOP));
    assert.ok(s.anomalies.some((a) => a.code === "memo-overwrite"));
  });

  it("reports an opcode that crosses the end of its FRAME (technique 18)", () => {
    const frame = [0x95, 0x03, 0, 0, 0, 0, 0, 0, 0];
    const s = run(pk(P4, frame, "C", [0x05], enc("abcde"), STOP));
    assert.ok(s.anomalies.some((a) => a.code === "frame-violation"));
  });

  it("records NEWOBJ_EX with args and kwargs, and BUILD state on its object", () => {
    const s = run(
      pk(P4, S("m"), S("C"), SG, ")", "}", [0x92], "}", S("k"), "K", [1], "s", "b", STOP),
    );
    assert.deepEqual(
      s.calls.map((c) => c.opcode),
      ["NEWOBJ_EX", "BUILD"],
    );
    assert.equal(s.result?.kind, "object");
  });

  it("reads every argument width: LONG1, LONG4, BININT, BINFLOAT, BINBYTES8, BINUNICODE8", () => {
    const s = run(
      pk(
        P4,
        "(",
        [0x8a, 0x02, 0xff, 0x7f],
        "J",
        [0xff, 0xff, 0xff, 0xff],
        "G",
        [0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18],
        [0x8e, 2, 0, 0, 0, 0, 0, 0, 0],
        enc("ab"),
        [0x8d, 1, 0, 0, 0, 0, 0, 0, 0],
        enc("z"),
        "t",
        STOP,
      ),
    );
    assert.equal(s.error, undefined);
    const items = s.result?.kind === "tuple" ? s.result.items : [];
    assert.deepEqual(items.slice(0, 2), [
      { kind: "int", value: 32767n },
      { kind: "int", value: -1n },
    ]);
    assert.equal(items[2]?.kind, "float");
    assert.equal(items[4]?.kind === "str" ? items[4].value : "", "z");
  });

  it("skips joblib inline arrays and scans what follows them (technique 25)", () => {
    const wrapper = pk(
      P4,
      S("joblib.numpy_pickle"),
      S("NumpyArrayWrapper"),
      SG,
      ")",
      [0x81],
      "}",
      "(",
      S("shape"),
      "K",
      [2],
      [0x85],
      S("dtype"),
      S("numpy"),
      S("dtype"),
      SG,
      S("f8"),
      [0x89, 0x88],
      [0x87],
      "R",
      S("numpy_array_alignment_bytes"),
      "K",
      [16],
      "u",
      "b",
    );
    const arrayBytes = [3, 0, 0, 0, ...new Array(16).fill(0x52)];
    const tail = pk("0", S("os"), S("system"), SG, S("id"), T1R, STOP);
    const bytes = pk([...wrapper], arrayBytes, [...tail]);
    const joblib = run(bytes, { joblibInlineArrays: true });
    assert.equal(joblib.error, undefined);
    assert.equal(joblib.inlineArrays.length, 1);
    assert.ok(joblib.imports.some((i) => i.module === "os" && i.name === "system"));
  });
});
