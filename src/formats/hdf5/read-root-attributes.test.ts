import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { isHdf5, readHdf5RootAttributes } from "./read-root-attributes.js";
import { withTempCopy } from "./temp-copy.js";
import { h5Bytes } from "./test-support/h5-writer.js";

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "trainguard-h5-read-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileOf(bytes: Uint8Array, name: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

describe("readHdf5RootAttributes()", () => {
  it("reads the requested string attributes and lists every name", async () => {
    const bytes = await h5Bytes({
      model_config: '{"class_name": "Sequential"}',
      keras_version: "2.15.0",
      other: "x",
    });
    assert.equal(isHdf5(bytes), true);
    const result = await readHdf5RootAttributes(
      await fileOf(bytes, "a.h5"),
      ["model_config", "backend"],
      1024,
    );
    assert.deepEqual([...result.values], [["model_config", '{"class_name": "Sequential"}']]);
    assert.deepEqual([...result.names].sort(), ["keras_version", "model_config", "other"]);
  });

  it("reads through a temporary copy of in-memory bytes, then deletes it", async () => {
    const bytes = await h5Bytes({ model_config: "{}" });
    let seen = "";
    const result = await withTempCopy(new BufferSource(bytes), bytes.length, (path) => {
      seen = path;
      return readHdf5RootAttributes(path, ["model_config"], 1024);
    });
    assert.equal(result.values.get("model_config"), "{}");
    await assert.rejects(import("node:fs/promises").then((fs) => fs.stat(seen)));
  });
});

describe("isHdf5()", () => {
  it("rejects other signatures", () => {
    assert.equal(isHdf5(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), false);
    assert.equal(isHdf5(new Uint8Array([0x89, 0x48, 0x44])), false);
  });
});
