import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, it } from "node:test";
import { createProgress, shouldShowProgress } from "./progress.js";

/** A stream that claims to be a terminal and records what is drawn on it. */
function fakeTerminal(
  isTTY: boolean,
): PassThrough & { isTTY: boolean; columns: number; output(): string } {
  const stream = new PassThrough() as PassThrough & {
    isTTY: boolean;
    columns: number;
    output(): string;
  };
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.isTTY = isTTY;
  stream.columns = 100;
  stream.output = () => Buffer.concat(chunks).toString("utf8");
  return stream;
}

describe("shouldShowProgress()", () => {
  it("draws only when wanted and stderr is a terminal", () => {
    assert.equal(shouldShowProgress({ wanted: true, stream: fakeTerminal(true) }), true);
    assert.equal(shouldShowProgress({ wanted: true, stream: fakeTerminal(false) }), false);
    assert.equal(shouldShowProgress({ wanted: false, stream: fakeTerminal(true) }), false);
  });
});

describe("createProgress()", () => {
  it("draws a bar on a terminal for several files and clears it on stop", async () => {
    const stream = fakeTerminal(true);
    const progress = createProgress({ wanted: true, stream });
    progress.onProgress(1, 3, "a.pt");
    progress.onProgress(2, 3, "b.pt");
    progress.onProgress(3, 3, "c.pt");
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(stream.output(), /Scanning .* 3\/3 c\.pt/);
  });

  it("draws nothing for a single file", async () => {
    const stream = fakeTerminal(true);
    const progress = createProgress({ wanted: true, stream });
    progress.onProgress(1, 1, "a.pt");
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stream.output(), "");
  });

  it("draws nothing when stderr is not a terminal", async () => {
    const stream = fakeTerminal(false);
    const progress = createProgress({ wanted: true, stream });
    progress.onProgress(1, 3, "a.pt");
    progress.onProgress(3, 3, "c.pt");
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stream.output(), "");
  });

  it("escapes control characters in the file name it shows", async () => {
    const stream = fakeTerminal(true);
    const progress = createProgress({ wanted: true, stream });
    progress.onProgress(1, 2, "evil\u001b]0;x\u0007.pt");
    progress.onProgress(2, 2, "evil\u001b]0;x\u0007.pt");
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(stream.output(), /evil\\x1b\]0;x\\x07\.pt/);
  });
});
