import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EnvCheckError } from "../env-error.js";
import { parseCondaMeta } from "./conda-meta.js";

const A = "a".repeat(64);
const B = "b".repeat(64);

function parse(value: unknown) {
  return parseCondaMeta(JSON.stringify(value), "conda-meta/x.json", "/env");
}

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof EnvCheckError ? error.code : "other";
  }
  return undefined;
}

describe("parseCondaMeta()", () => {
  it("maps path types and prefers sha256_in_prefix, ignoring sizes of rewritten files", () => {
    const dist = parse({
      name: "x",
      version: "1",
      paths_data: {
        paths: [
          { _path: "lib/x.py", path_type: "hardlink", sha256: A, size_in_bytes: 3 },
          {
            _path: "bin/x",
            path_type: "hardlink",
            sha256: A,
            sha256_in_prefix: B,
            size_in_bytes: 3,
            prefix_placeholder: "/opt/p",
            file_mode: "text",
          },
          {
            _path: "bin/old",
            path_type: "hardlink",
            sha256: A,
            prefix_placeholder: "/opt/p",
            file_mode: "binary",
          },
          { _path: "lib/link", path_type: "softlink" },
          { _path: "lib/x.pyc", path_type: "pyc_file" },
          { _path: "bin/entry", path_type: "unix_python_entry_point" },
        ],
      },
    });
    const [plain, rewritten, old, link, pyc, entry] = dist.files;
    assert.deepEqual(plain, {
      path: "lib/x.py",
      type: "file",
      digest: { algorithm: "sha256", hex: A },
      size: 3,
    });
    assert.equal(rewritten?.digest?.hex, B);
    assert.equal(rewritten?.size, undefined);
    assert.equal(old?.digest, undefined);
    assert.deepEqual(old?.placeholder, {
      placeholder: "/opt/p",
      mode: "binary",
      packagedSha256: A,
    });
    assert.equal(link?.type, "symlink");
    assert.equal(pyc?.type, "bytecode");
    assert.equal(entry?.type, "generated");
  });

  it("marks a record with only a files list as unhashed", () => {
    const dist = parse({ name: "old", version: "1", files: ["lib/a.py"] });
    assert.equal(dist.unhashed, true);
    assert.equal(dist.files[0]?.path, "lib/a.py");
  });

  it("refuses malformed records with BAD_RECORD", () => {
    assert.equal(
      code(() => parseCondaMeta("{", "x.json", "/env")),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse([])),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse({ version: "1" })),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse({ name: "x", paths_data: { paths: {} } })),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse({ name: "x", paths_data: { paths: [{ path_type: "hardlink" }] } })),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse({ name: "x", paths_data: { paths: [{ _path: "a", sha256: "zz" }] } })),
      "BAD_RECORD",
    );
    assert.equal(
      code(() =>
        parse({ name: "x", paths_data: { paths: [{ _path: "a", path_type: "portal" }] } }),
      ),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse({ name: "x", paths_data: { paths: [{ _path: "a", size_in_bytes: -1 }] } })),
      "BAD_RECORD",
    );
    assert.equal(
      code(() =>
        parse({
          name: "x",
          paths_data: { paths: [{ _path: "a", prefix_placeholder: "/p", file_mode: "exec" }] },
        }),
      ),
      "BAD_RECORD",
    );
    assert.equal(
      code(() => parse({ name: "x", files: "a" })),
      "BAD_RECORD",
    );
  });

  it("counts paths that leave the prefix", () => {
    const dist = parse({
      name: "x",
      paths_data: { paths: [{ _path: "../../etc/passwd", sha256: A }] },
    });
    assert.equal(dist.outsideRoot, 1);
    assert.equal(dist.files.length, 0);
  });
});
