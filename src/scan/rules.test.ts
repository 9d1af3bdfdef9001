/**
 * Each rule fires on an input built here to trigger it, and stays silent on the nearest benign
 * input. Real files for the same rules are in `fixtures.test.ts`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { buildNpy } from "../formats/numpy/test-support/npy-writer.js";
import { enc, P2, P4, pk, S, SG, STOP, T1R } from "../formats/pickle/test-support/build-pickle.js";
import { buildZip } from "../formats/zip/test-support/zip-writer.js";
import type { ScanOptions } from "./options.js";
import type { RuleId } from "./rules.js";
import { scanBuffer } from "./scan-file.js";

const call = (module: string, name: string, ...arg: number[][]) =>
  pk(P4, S(module), S(name), SG, ...(arg.length ? arg : [S("x")]), T1R, STOP);
const benignDict = pk(P4, "}", S("a"), "K", [1], "s", STOP);
const ordered = pk(P2, "ccollections\nOrderedDict\n", ")", "R", STOP);

/** BINPERSID of `('storage', torch.FloatStorage, '0', 'cpu', numel)`, as torch.save writes. */
const storagePid = (numel: number) =>
  pk("(", S("storage"), "ctorch\nFloatStorage\n", S("0"), S("cpu"), "K", [numel], "t", "Q");

/** A torch-style zip: data.pkl referencing storage "0" of `numel` floats stored in `size` bytes. */
function torchZip(
  numel: number,
  size: number,
  extra: { name: string; data: Uint8Array | string }[] = [],
) {
  const pid = storagePid(numel);
  const tensor = pk(
    P2,
    "ctorch._utils\n_rebuild_tensor_v2\n",
    "(",
    [...pid],
    "K",
    [0],
    "K",
    [numel],
    [0x85],
    "K",
    [1],
    [0x85],
    [0x89],
    ")",
    "t",
    "R",
    STOP,
  );
  return buildZip([
    { name: "m/data.pkl", data: tensor },
    { name: "m/version", data: "3\n" },
    { name: "m/data/0", data: new Uint8Array(size) },
    ...extra,
  ]);
}

interface Case {
  readonly rule: RuleId;
  readonly positive: Uint8Array;
  readonly negative: Uint8Array;
  readonly options?: ScanOptions;
}

/** `torch.save(..., _use_new_zipfile_serialization=False)` of a dict with no tensors. */
const LEGACY_MAGIC = pk(
  P2,
  [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19],
  STOP,
);
const LEGACY_HEAD = [...LEGACY_MAGIC, ...pk(P2, "M", [0xe9, 0x03], STOP), ...pk(P2, "}", STOP)];
const legacy = Uint8Array.from([...LEGACY_HEAD, ...benignDict, ...pk(P2, "]", STOP)]);
const floats = (n: number) => new Uint8Array(n * 4);
const NPY_F4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }";

const CASES: Case[] = [
  { rule: "pickle/dangerous-global", positive: call("os", "system"), negative: ordered },
  {
    rule: "pickle/weights-only-incompatible",
    positive: pk(P4, S("collections"), S("OrderedDict"), SG, ")", "R", STOP),
    negative: ordered,
  },
  {
    rule: "zip/local-header-mismatch",
    positive: buildZip([{ name: "a.txt", data: "hello", localCrc: 7 }]),
    negative: buildZip([{ name: "a.txt", data: "hello" }]),
  },
  {
    rule: "zip/overlapping-members",
    positive: buildZip([
      { name: "a.txt", data: "hello" },
      { name: "b.txt", data: "hello", localOffsetOf: 0 },
    ]),
    negative: buildZip([
      { name: "a.txt", data: "hello" },
      { name: "b.txt", data: "hello" },
    ]),
  },
  {
    rule: "zip/unreadable",
    positive: pk([0x50, 0x4b, 0x03, 0x04], "not really a zip"),
    negative: buildZip([{ name: "a.txt", data: "hello" }]),
  },
  { rule: "torch/legacy-layout", positive: Uint8Array.from(LEGACY_HEAD), negative: legacy },
  {
    rule: "numpy/object-array",
    positive: buildNpy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", benignDict),
    negative: buildNpy(NPY_F4, floats(4)),
  },
  {
    rule: "numpy/size-mismatch",
    positive: buildNpy(NPY_F4, floats(3)),
    negative: buildNpy(NPY_F4, floats(4)),
  },
  {
    rule: "format/decompression-limit",
    positive: gzipSync(new Uint8Array(4 * 1024 * 1024)),
    negative: gzipSync(new Uint8Array(1024)),
    options: { limits: { maxDecompressedBytes: 1024 * 1024 } },
  },
  {
    rule: "pickle/dangerous-global",
    positive: call("pathlib", "os.system"),
    negative: pk(P4, S("pathlib"), S("PosixPath"), SG, S("/tmp"), T1R, STOP),
  },
  {
    rule: "pickle/computed-global",
    positive: pk(
      P4,
      S("builtins"),
      S("str"),
      SG,
      S("os"),
      T1R,
      S("system"),
      SG,
      S("id"),
      T1R,
      STOP,
    ),
    negative: call("collections", "OrderedDict", enc(")")),
  },
  {
    rule: "pickle/non-literal-callable",
    positive: pk(
      P4,
      S("builtins"),
      S("getattr"),
      SG,
      S("os"),
      S("system"),
      [0x86],
      "R",
      S("id"),
      T1R,
      STOP,
    ),
    negative: ordered,
  },
  {
    rule: "pickle/training-state",
    positive: call("torch", "manual_seed", [0x4b, 7]),
    negative: ordered,
  },
  {
    rule: "pickle/training-state",
    positive: call("torch.Tensor", "add_"),
    negative: call("torch", "Size", enc(")")),
  },
  {
    rule: "pickle/build-on-global",
    positive: pk(P4, S("numpy"), S("size"), SG, "}", S("shape"), "N", "s", "b", STOP),
    negative: pk(P2, "ccollections\nOrderedDict\n", ")", "R", "}", "b", STOP),
  },
  {
    rule: "pickle/extension-opcode",
    positive: pk(P2, [0x82, 0x7e], S("id"), T1R, STOP),
    negative: ordered,
  },
  {
    rule: "pickle/nested-loader",
    positive: pk(
      P4,
      S("pickle"),
      S("loads"),
      SG,
      "C",
      [benignDict.length],
      [...benignDict],
      T1R,
      STOP,
    ),
    negative: benignDict,
  },
  {
    rule: "pickle/frame-violation",
    positive: pk(P4, [0x95, 3, 0, 0, 0, 0, 0, 0, 0], "C", [5], enc("abcde"), STOP),
    negative: pk(P4, [0x95, 8, 0, 0, 0, 0, 0, 0, 0], "C", [5], enc("abcde"), STOP),
  },
  {
    rule: "pickle/memo-overwrite",
    positive: pk(P2, S("a"), "q", [1], S("b"), "q", [1], "0", STOP),
    negative: pk(P2, S("a"), "q", [1], S("b"), "q", [2], "0", STOP),
  },
  {
    rule: "pickle/discarded-call",
    positive: pk(P2, "(cos\nsystem\nS'id'\no0N."),
    negative: pk(P2, "(cos\nsystem\nS'id'\no."),
  },
  {
    rule: "pickle/out-of-band-buffer",
    positive: pk(P4, [0x97], STOP),
    negative: pk(P4, "N", STOP),
  },
  { rule: "pickle/unreadable", positive: pk(P4, S("abc")), negative: pk(P4, S("abc"), STOP) },
  { rule: "pickle/trailing-data", positive: pk([...benignDict], "\n\n\t\t"), negative: benignDict },
  {
    rule: "zip/duplicate-name",
    positive: buildZip([
      { name: "a", data: "1" },
      { name: "a", data: "2" },
    ]),
    negative: buildZip([
      { name: "a", data: "1" },
      { name: "b", data: "2" },
    ]),
  },
  {
    rule: "zip/local-name-mismatch",
    positive: buildZip([{ name: "m/data.pkl", localName: "m/datap.kl", data: benignDict }]),
    negative: buildZip([{ name: "m/data.pkl", data: benignDict }]),
  },
  {
    rule: "zip/crc-mismatch",
    positive: buildZip([{ name: "a.pkl", data: benignDict, crc: 1 }]),
    negative: buildZip([{ name: "a.pkl", data: benignDict }]),
  },
  {
    rule: "zip/flag-bits",
    positive: buildZip([{ name: "a.pkl", data: benignDict, flags: 0x20, localFlags: 0x20 }]),
    negative: buildZip([{ name: "a.pkl", data: benignDict }]),
  },
  {
    rule: "zip/unknown-compression",
    positive: buildZip([{ name: "a.pkl", data: benignDict, method: 12 }]),
    negative: buildZip([{ name: "a.pkl", data: benignDict, method: 8 }]),
  },
  {
    rule: "zip/data-outside-members",
    positive: buildZip([
      { name: "a.txt", data: "hello", after: Uint8Array.from(enc("junk junk")) },
    ]),
    negative: buildZip([{ name: "a.txt", data: "hello" }]),
  },
  {
    rule: "torch/missing-storage",
    positive: buildZip([
      {
        name: "m/data.pkl",
        data: pk(P2, [...storagePid(4)], STOP),
      },
    ]),
    negative: torchZip(4, 16),
  },
  { rule: "torch/storage-size-mismatch", positive: torchZip(4, 12), negative: torchZip(4, 16) },
  {
    rule: "torch/torchscript-code",
    positive: torchZip(4, 16, [
      { name: "m/code/__torch__.py", data: "def forward(self):\n  return 1\n" },
    ]),
    negative: torchZip(4, 16),
  },
  {
    rule: "format/polyglot",
    positive: pk([...benignDict], [...buildZip([{ name: "a.txt", data: "hi" }])]),
    negative: buildZip([{ name: "a.txt", data: "hi" }]),
  },
  {
    rule: "format/unknown",
    positive: Uint8Array.from([0x00, 0x01, 0x02, 0xff, 0xfe]),
    negative: Uint8Array.from(enc("plain text\n")),
  },
  {
    rule: "format/unsupported-compression",
    positive: Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0]),
    negative: gzipSync(benignDict),
  },
  {
    rule: "scan/limit-exceeded",
    positive: pk(P4, ...new Array(200).fill("N"), STOP),
    negative: pk(P4, ...new Array(50).fill("N"), STOP),
    options: { limits: { maxOpcodes: 100 } },
  },
];

const rulesOf = async (bytes: Uint8Array, options: ScanOptions = {}) =>
  (await scanBuffer(bytes, "input", options)).findings.map((f) => f.rule);

describe("scanner rules", () => {
  for (const c of CASES) {
    it(`${c.rule} fires on its trigger and not on the benign neighbour`, async () => {
      assert.ok((await rulesOf(c.positive, c.options)).includes(c.rule), "positive input");
      assert.ok(!(await rulesOf(c.negative, c.options)).includes(c.rule), "negative input");
    });
  }

  it("pickle/unknown-global fires on a model class unless the user allows it", async () => {
    const model = pk(P4, S("mymodels"), S("Net"), SG, ")", [0x81], STOP);
    assert.ok((await rulesOf(model)).includes("pickle/unknown-global"));
    assert.ok(
      !(await rulesOf(model, { allow: ["mymodels.Net"] })).includes("pickle/unknown-global"),
    );
    assert.ok(!(await rulesOf(model, { allow: ["mymodels.*"] })).includes("pickle/unknown-global"));
  });

  it("an allow entry cannot make a known-dangerous global harmless", async () => {
    const result = await scanBuffer(call("os", "system"), "x", { allow: ["os.system", "os.*"] });
    assert.equal(result.verdict, "dangerous");
  });

  it("a gzip-compressed pickle is scanned inside", async () => {
    const result = await scanBuffer(gzipSync(call("os", "system")), "x");
    assert.equal(result.format, "gzip+pickle");
    assert.equal(result.verdict, "dangerous");
  });

  it("a decompression bomb is reported, not expanded", async () => {
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024));
    const result = await scanBuffer(bomb, "x", { limits: { maxDecompressedBytes: 1024 * 1024 } });
    assert.equal(result.verdict, "unscannable");
    assert.ok(result.findings.some((f) => f.rule === "format/decompression-limit"));
  });

  it("a pickle inside pickle.loads bytes is scanned recursively", async () => {
    const inner = call("os", "system");
    const outer = pk(P4, S("pickle"), S("loads"), SG, "C", [inner.length], [...inner], T1R, STOP);
    const result = await scanBuffer(outer, "x");
    assert.equal(result.verdict, "dangerous");
    assert.ok(
      result.findings.some(
        (f) => f.rule === "pickle/dangerous-global" && f.location.member?.includes("pickle.loads@"),
      ),
    );
  });

  it("bytes handed to torch.load through BytesIO, spelled as protocol 2 _codecs.encode, are scanned", async () => {
    const inner = String.fromCharCode(...call("os", "system"));
    const bytesP2 = pk(
      "c_codecs\nencode\n",
      "X",
      [...u32(Buffer.byteLength(inner))],
      [...Buffer.from(inner)],
      S("latin1"),
      [0x86],
      "R",
    );
    const outer = pk(P2, "ctorch\nload\n", "cio\nBytesIO\n", [...bytesP2], T1R, T1R, STOP);
    const result = await scanBuffer(outer, "x");
    assert.ok(
      result.findings.some(
        (f) => f.message.includes("os.system") && f.location.member?.startsWith("torch.load@"),
      ),
    );
  });

  it("nested loaders stop at the nesting limit", async () => {
    let bytes = benignDict;
    for (let i = 0; i < 12; i++) {
      bytes = pk(
        P4,
        S("pickle"),
        S("loads"),
        SG,
        "B",
        [...u32(bytes.length)],
        [...bytes],
        T1R,
        STOP,
      );
    }
    const result = await scanBuffer(bytes, "x");
    assert.ok(result.findings.some((f) => f.rule === "scan/limit-exceeded"));
    assert.equal(result.verdict, "unscannable");
  });
});

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
