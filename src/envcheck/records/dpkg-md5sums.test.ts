import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EnvCheckError } from "../env-error.js";
import { dpkgPackageName, parseDpkgList, parseMd5sums } from "./dpkg-md5sums.js";

const MD5 = "0123456789abcdef0123456789ABCDEF";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof EnvCheckError ? error.code : "other";
  }
  return undefined;
}

describe("parseMd5sums()", () => {
  it("reads '<md5>  <path>' lines, paths with spaces, and md5sum's binary marker", () => {
    const entries = parseMd5sums(`${MD5}  usr/lib/a b.py\n${MD5} *usr/lib/c.so\n`, "p.md5sums");
    assert.deepEqual(entries, [
      { path: "/usr/lib/a b.py", md5: MD5.toLowerCase() },
      { path: "/usr/lib/c.so", md5: MD5.toLowerCase() },
    ]);
  });

  it("refuses short digests, a single space, missing paths and NUL", () => {
    for (const line of [`${MD5.slice(1)}  a`, `${MD5} a`, `${MD5}  `, `${MD5}  a\0b`, "garbage"]) {
      assert.equal(
        code(() => parseMd5sums(`${line}\n`, "p.md5sums")),
        "BAD_RECORD",
        JSON.stringify(line),
      );
    }
  });
});

describe("parseDpkgList()", () => {
  it("reads absolute paths and skips '/.'", () => {
    assert.deepEqual(parseDpkgList("/.\n/usr\n/usr/lib/x.py\n", "p.list"), [
      "/usr",
      "/usr/lib/x.py",
    ]);
  });

  it("refuses relative paths", () => {
    assert.equal(
      code(() => parseDpkgList("usr/lib\n", "p.list")),
      "BAD_RECORD",
    );
  });
});

describe("dpkgPackageName()", () => {
  it("drops the extension and the architecture", () => {
    assert.equal(dpkgPackageName("python3-torch.md5sums"), "python3-torch");
    assert.equal(dpkgPackageName("libpython3.11:amd64.list"), "libpython3.11");
  });
});
