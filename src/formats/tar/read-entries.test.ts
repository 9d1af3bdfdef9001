import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { sniffTar } from "./header.js";
import { readTarEntries } from "./read-entries.js";
import { buildTar, paxRecord, type TestTarEntry } from "./test-support/tar-writer.js";
import type { TarListing } from "./types.js";

const list = (
  entries: TestTarEntry[],
  options?: Parameters<typeof buildTar>[1],
): Promise<TarListing> => readTarEntries(new BufferSource(buildTar(entries, options)));
const codes = (listing: TarListing) => listing.anomalies.map((a) => a.code);

describe("readTarEntries", () => {
  it("lists a legacy torch checkpoint's members with their data offsets", async () => {
    const listing = await list([
      { name: "sys_info", data: "x".repeat(600) },
      { name: "pickle", data: new Uint8Array([0x80, 0x02, 0x2e]) },
      { name: "storages", data: "" },
      { name: "tensors", data: "t" },
    ]);
    assert.deepEqual(
      listing.entries.map((e) => [e.name, e.size, e.dataOffset, e.type]),
      [
        ["sys_info", 600, 512, "file"],
        ["pickle", 3, 512 * 4, "file"],
        ["storages", 0, 512 * 6, "file"],
        ["tensors", 1, 512 * 7, "file"],
      ],
    );
    assert.deepEqual(listing.anomalies, []);
  });

  it("reads v7, GNU and base-256 headers and joins the ustar prefix", async () => {
    const listing = await list([
      { name: "v7", data: "a", magic: "v7", typeflag: "" },
      { name: "gnu", data: "bb", magic: "gnu" },
      { name: "big", data: "ccc", base256: true },
      { name: "file", prefix: "some/dir", data: "d" },
      { name: "dir/", typeflag: "5" },
      { name: "link", typeflag: "2", linkName: "pickle" },
    ]);
    assert.deepEqual(
      listing.entries.map((e) => [e.name, e.size, e.type, e.linkName]),
      [
        ["v7", 1, "file", ""],
        ["gnu", 2, "file", ""],
        ["big", 3, "file", ""],
        ["some/dir/file", 1, "file", ""],
        ["dir", 0, "directory", ""],
        ["link", 0, "symlink", "pickle"],
      ],
    );
  });

  it("applies GNU long names and pax path and size", async () => {
    const long = `${"d/".repeat(80)}pickle`;
    const listing = await list([
      { name: "././@LongLink", typeflag: "L", data: `${long}\0` },
      { name: "ignored", data: "p" },
      {
        name: "PaxHeaders/x",
        typeflag: "x",
        data: paxRecord("path", "é/pax-name") + paxRecord("mtime", "1.5"),
      },
      { name: "short", data: "qq" },
      { name: "PaxHeaders/y", typeflag: "x", data: paxRecord("size", "3") },
      { name: "sized", data: "rrr", size: 0 },
    ]);
    assert.deepEqual(
      listing.entries.map((e) => [e.name, e.size]),
      [
        [long, 1],
        ["é/pax-name", 2],
        ["sized", 3],
      ],
    );
  });

  it("reports duplicates, unknown types, sizes on links and signed checksums", async () => {
    assert.deepEqual(codes(await list([{ name: "pickle" }, { name: "pickle" }])), [
      "duplicate-name",
    ]);
    const unknown = await list([{ name: "odd", typeflag: "Z", data: "z" }]);
    assert.deepEqual([codes(unknown), unknown.entries[0]!.type], [["unknown-type"], "file"]);
    assert.deepEqual(codes(await list([{ name: "l", typeflag: "2", size: 5 }, { name: "next" }])), [
      "size-on-non-file",
    ]);
    const high: TestTarEntry = { name: "s", poke: [[300, 0xff]] };
    const signed = await list([{ ...high, checksum: signedSum(high) }]);
    assert.deepEqual(codes(signed), ["signed-checksum"]);
  });

  it("reports a missing end marker and data after it", async () => {
    assert.deepEqual(codes(await list([{ name: "a" }], { end: 0 })), ["missing-end-marker"]);
    assert.deepEqual(codes(await list([{ name: "a" }], { end: 1 })), ["missing-end-marker"]);
    assert.deepEqual(codes(await list([{ name: "a" }], { trailing: new Uint8Array([0, 0, 1]) })), [
      "data-after-end",
    ]);
    assert.deepEqual(codes(await list([{ name: "a" }], { trailing: new Uint8Array(10240) })), []);
  });

  it("reads only headers, never member data", async () => {
    const source = new BufferSource(
      buildTar([{ name: "big", data: new Uint8Array(1 << 20) }, { name: "b" }]),
    );
    await readTarEntries(source);
    assert.ok(source.bytesRead < 4096, `read ${source.bytesRead}`);
  });

  it("sniffs tar headers by checksum, with or without the ustar magic", () => {
    assert.equal(sniffTar(buildTar([{ name: "a" }])), true);
    assert.equal(sniffTar(buildTar([{ name: "a", magic: "v7" }])), true);
    assert.equal(sniffTar(buildTar([{ name: "a", checksum: 1 }])), false);
    assert.equal(sniffTar(new Uint8Array(512)), false);
    assert.equal(sniffTar(new Uint8Array(100)), false);
  });

  it("agrees with what Python's tarfile writes in every format", async () => {
    const script = `
import io, json, tarfile
out = {}
for fmt in ("USTAR_FORMAT", "GNU_FORMAT", "PAX_FORMAT"):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=getattr(tarfile, fmt)) as t:
        for name, data in (("sys_info", b"x" * 700), ("d" * 120 + "/pickle", b"p"), ("storages", b"")):
            info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo("dir"); info.type = tarfile.DIRTYPE; t.addfile(info)
    buf.seek(0)
    with tarfile.open(fileobj=buf) as t:
        members = [[m.name, m.size, m.offset_data, "directory" if m.isdir() else "file"] for m in t.getmembers()]
    out[fmt] = [buf.getvalue().hex(), members]
print(json.dumps(out))`;
    const samples: Record<string, [string, [string, number, number, string][]]> = JSON.parse(
      execFileSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" }),
    );
    await Promise.all(
      Object.entries(samples).map(async ([format, [hex, members]]) => {
        const listing = await readTarEntries(new BufferSource(Buffer.from(hex, "hex")));
        assert.deepEqual(
          listing.entries.map((e) => [e.name, e.size, e.dataOffset, e.type]),
          members,
          format,
        );
        assert.deepEqual(listing.anomalies, [], format);
      }),
    );
  });
});

/** The signed-byte checksum of a header with a high byte in it (old Sun tar wrote these). */
function signedSum(entry: TestTarEntry): number {
  let sum = 8 * 0x20;
  const block = buildTar([{ ...entry, checksum: 0 }]).subarray(0, 512);
  for (let i = 0; i < 512; i++)
    if (i < 148 || i >= 156) sum += block[i]! > 127 ? block[i]! - 256 : block[i]!;
  return sum;
}
