import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { restorePlaceholder } from "./conda-prefix.js";

const PLACEHOLDER = "/opt/placeholder_placeholder";
const PREFIX = "/env";

describe("restorePlaceholder()", () => {
  it("undoes a text-mode rewrite everywhere", () => {
    const installed = Buffer.from(`#!${PREFIX}/bin/python\nroot = "${PREFIX}"\n`);
    const restored = restorePlaceholder(installed, PREFIX, {
      placeholder: PLACEHOLDER,
      mode: "text",
      packagedSha256: undefined,
    });
    assert.equal(restored?.toString(), `#!${PLACEHOLDER}/bin/python\nroot = "${PLACEHOLDER}"\n`);
  });

  it("undoes a binary-mode rewrite, taking back the NUL padding", () => {
    const pad = "\0".repeat(PLACEHOLDER.length - PREFIX.length);
    const installed = Buffer.from(`ELF\0${PREFIX}/lib\0${pad}tail\0`, "latin1");
    const restored = restorePlaceholder(installed, PREFIX, {
      placeholder: PLACEHOLDER,
      mode: "binary",
      packagedSha256: undefined,
    });
    assert.equal(restored?.toString("latin1"), `ELF\0${PLACEHOLDER}/lib\0tail\0`);
  });

  it("gives up on a binary string whose padding was overwritten or a prefix longer than the placeholder", () => {
    const installed = Buffer.from(`${PREFIX}/lib\0XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`, "latin1");
    assert.equal(
      restorePlaceholder(installed, PREFIX, {
        placeholder: PLACEHOLDER,
        mode: "binary",
        packagedSha256: undefined,
      }),
      undefined,
    );
    assert.equal(
      restorePlaceholder(Buffer.from("/a/very/long/prefix\0"), "/a/very/long/prefix", {
        placeholder: "/p",
        mode: "binary",
        packagedSha256: undefined,
      }),
      undefined,
    );
  });
});
