import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { BufferSource, FileSource } from "../byte-source.js";
import { readZipDirectory } from "./read-directory.js";
import { readZipMember } from "./read-member.js";

/** Archives written by real tools, compared with what Python's zipfile reads from them. */

const python = "/usr/bin/python3";
const hasPython = (() => {
  try {
    execFileSync(python, ["-c", "import zipfile"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const hasZip = (() => {
  try {
    execFileSync("zip", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), "trainguard-zip-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Python's view: [name, compress_size, file_size, CRC, data as hex]. */
function pythonView(path: string): [string, number, number, number, string][] {
  const script = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(json.dumps([[i.filename, i.compress_size, i.file_size, i.CRC, z.read(i).hex()] for i in z.infolist()]))`;
  return JSON.parse(execFileSync(python, ["-c", script, path], { encoding: "utf8" }));
}

async function assertSameAsPython(path: string, expected: readonly string[] = []): Promise<void> {
  const source = new BufferSource(readFileSync(path));
  const archive = await readZipDirectory(source);
  const ours = await Promise.all(
    archive.entries.map(async (e) => {
      const { bytes, crcOk } = await readZipMember(source, e, 1 << 20);
      assert.equal(crcOk, true);
      return [
        e.name,
        e.compressedSize,
        e.uncompressedSize,
        e.crc32,
        Buffer.from(bytes).toString("hex"),
      ];
    }),
  );
  assert.deepEqual(ours, pythonView(path));
  assert.deepEqual(
    archive.anomalies.map((a) => a.code),
    expected,
  );
}

describe("readZipDirectory against archives from real tools", {
  skip: !hasPython && "python3 not available",
}, () => {
  it("agrees with zipfile on stored, deflated, zip64, data-descriptor and commented archives", async () => {
    const script = `
import io, sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(out + "/plain.zip", "w") as z:
    z.writestr("archive/data.pkl", b"\\x80\\x02}q\\x00.")
    z.writestr("archive/data/0", bytes(range(256)) * 40, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr("archive/é.txt", "unicode")
    z.comment = b"a comment"
with zipfile.ZipFile(out + "/zip64.zip", "w", allowZip64=True) as z:
    for i in range(3):
        with z.open(f"r/{i}", "w", force_zip64=True) as f:
            f.write(b"x" * (i + 1) * 1000)
class Unseekable(io.RawIOBase):
    def __init__(self): self.buf = bytearray()
    def writable(self): return True
    def write(self, b): self.buf += b; return len(b)
s = Unseekable()
with zipfile.ZipFile(s, "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("d/a", b"streamed " * 100)
    z.writestr("d/b", b"second")
    with z.open("d/c", "w", force_zip64=True) as f:
        f.write(b"zip64 descriptor " * 20)
open(out + "/descriptor.zip", "wb").write(bytes(s.buf))
open(out + "/polyglot.pkl", "wb").write(b"\\x80\\x02N." + open(out + "/plain.zip", "rb").read())
`;
    execFileSync(python, ["-c", script, dir]);
    await assertSameAsPython(join(dir, "plain.zip"), ["comment"]);
    await assertSameAsPython(join(dir, "zip64.zip"));
    await assertSameAsPython(join(dir, "descriptor.zip"));
    await assertSameAsPython(join(dir, "polyglot.pkl"), ["comment", "data-outside-members"]);
    const polyglot = await readZipDirectory(
      new BufferSource(readFileSync(join(dir, "polyglot.pkl"))),
    );
    assert.equal(polyglot.startOffset, 4);
    const file = await FileSource.open(join(dir, "descriptor.zip"));
    try {
      const descriptor = await readZipDirectory(file);
      assert.equal(descriptor.entries[0]!.flags & 0x8, 0x8);
      assert.equal(descriptor.entries.length, 3);
      assert.deepEqual(descriptor.gaps, []);
    } finally {
      await file.close();
    }
  });

  it("agrees with zipfile on an Info-ZIP archive", {
    skip: !hasZip && "zip not available",
  }, async () => {
    writeFileSync(join(dir, "one.txt"), "one ".repeat(500));
    writeFileSync(
      join(dir, "two.bin"),
      new Uint8Array(3000).map((_, i) => i * 7),
    );
    execFileSync("zip", ["-q", "-X", "info.zip", "one.txt", "two.bin"], { cwd: dir });
    execFileSync("zip", ["-q", "-fz", "info64.zip", "one.txt"], { cwd: dir });
    await assertSameAsPython(join(dir, "info.zip"));
    await assertSameAsPython(join(dir, "info64.zip"));
  });
});
