/** Broken and hostile HDF5 inputs, built in code: each is a FormatError with a code. */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BufferSource } from "../byte-source.js";
import { FormatError } from "../format-error.js";
import { HDF5_SIGNATURE, readHdf5RootAttributes } from "./read-root-attributes.js";
import { withTempCopy } from "./temp-copy.js";
import { h5Bytes } from "./test-support/h5-writer.js";

let dir = "";
let counter = 0;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "trainguard-h5-bad-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(bytes: Uint8Array, maxBytes = 1 << 20) {
  counter += 1;
  const path = join(dir, `f${counter}.h5`);
  await writeFile(path, bytes);
  return readHdf5RootAttributes(path, ["model_config"], maxBytes);
}

const isCode = (code: FormatError["code"]) => (error: unknown) =>
  error instanceof FormatError && error.code === code;

describe("readHdf5RootAttributes() on malformed input", () => {
  it("reports a file cut short as TRUNCATED", async () => {
    const good = await h5Bytes({ model_config: "{}" });
    await assert.rejects(read(good.subarray(0, Math.floor(good.length / 2))), isCode("TRUNCATED"));
  });

  it("reports a signature followed by garbage as MALFORMED", async () => {
    const bytes = new Uint8Array(600).fill(0xff);
    bytes.set(HDF5_SIGNATURE);
    await assert.rejects(read(bytes), isCode("MALFORMED"));
  });

  it("reports every prefix of a real file as a FormatError, never a crash", async () => {
    const good = await h5Bytes({ model_config: "{}" });
    for (let end = 8; end < good.length; end += Math.ceil(good.length / 12)) {
      await assert.rejects(
        read(good.subarray(0, end)),
        (error: unknown) => error instanceof FormatError,
      );
    }
  });

  it("refuses a model_config that is not a string", async () => {
    await assert.rejects(read(await h5Bytes({ model_config: 42 })), isCode("MALFORMED"));
  });

  it("refuses an attribute over the byte bound", async () => {
    await assert.rejects(
      read(await h5Bytes({ model_config: "x".repeat(100) }), 10),
      isCode("LIMIT_EXCEEDED"),
    );
  });

  it("refuses to copy an input over the byte bound", async () => {
    await assert.rejects(
      withTempCopy(new BufferSource(new Uint8Array(100)), 10, async () => undefined),
      isCode("LIMIT_EXCEEDED"),
    );
  });
});
